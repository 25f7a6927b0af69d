package io.daair.nn.blocks;

import io.daair.nn.graph.Graph;
import io.daair.nn.routing.ExpertRouting;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The Degradation-aware Learner (paper Sec. 3.2; docs/architecture.md, "Degradation-aware Learner (DaLe)"):
 * {@code up(F_s * F_a)} with {@code F_a = agnostic(a)} over the whole batch and {@code F_s = g_b * S_{k_b}(a_b)},
 * each specialist running only on the samples routed to it ({@link ExpertRouting}).
 */
public final class DaLe {

    /**
     * @param out DaLe(a), (B, C, H, W)
     * @param logits router logits (B, E)
     */
    public record Output(SDVariable out, SDVariable logits) {}

    private DaLe() {}

    public static Output apply(Graph g, String prefix, SDVariable a, BlockSpec s) {
        SDVariable logits = Router.apply(g, prefix + ".router", a, s.channels(), s.experts());
        SDVariable agnostic = Expert.apply(g, prefix + ".agnostic", a, s);
        SDVariable special = ExpertRouting.apply(
                g, a, logits, s.experts(), (e, sub) -> Expert.apply(g, prefix + ".specialists." + e, sub, s));
        SDVariable up = g.conv(prefix + ".up.weight", special.mul(agnostic), s.rank(), s.channels(), 1);
        return new Output(up, logits);
    }
}
