package io.daair.nn.blocks;

import io.daair.nn.graph.Graph;
import io.daair.nn.graph.Level;
import io.daair.nn.routing.ExpertRouting;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The Degradation-aware Learner (paper Sec. 3.2; docs/architecture.md, "Degradation-aware Learner (DaLe)"):
 * {@code up(F_s * F_a)} with {@code F_a = agnostic(a)} over the whole batch and {@code F_s = g_b * S_{k_b}(a_b)},
 * each specialist running only on the samples routed to it ({@link ExpertRouting}).
 */
public final class DaLe {

    /**
     * @param out DaLe(a), pixel rows [B*H*W, C]
     * @param logits router logits (B, E)
     */
    public record Output(SDVariable out, SDVariable logits) {}

    private DaLe() {}

    /**
     * a: pixel rows [B*H*W, C] at {@code level}. The routing splits the batch axis of its NHWC view; each
     * specialist's sub-batch has its own grid ({@code n_e} samples, one shape op).
     */
    public static Output apply(Graph g, Level level, String prefix, SDVariable a, BlockSpec s) {
        int c = s.channels();
        int r = s.rank();
        SDVariable image = level.image(a, c); // [B, H, W, C]
        SDVariable logits = Router.apply(g, prefix + ".router", image, c, s.experts());
        SDVariable agnostic = Expert.apply(g, level, prefix + ".agnostic", a, s); // [B*H*W, r]
        SDVariable special = ExpertRouting.apply(g, image, logits, s.experts(), (e, sub) -> { // sub [n_e, H, W, C]
            Level subLevel = Level.of(g, sub);
            SDVariable rows = Expert.apply(g, subLevel, prefix + ".specialists." + e, Level.rows(sub, c), s);
            return subLevel.image(rows, r); // [n_e, H, W, r]
        }); // [B, H, W, r]
        SDVariable up =
                g.pointwise(prefix + ".up.weight", Level.rows(special, r).mul(agnostic), r, c);
        return new Output(up, logits);
    }
}
