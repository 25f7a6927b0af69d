package io.daair.nn.blocks;

import io.daair.nn.graph.Graph;
import io.daair.nn.graph.Level;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The EncoderBlock (paper Sec. 3.1; docs/architecture.md, "Blocks"):
 * {@code a = LN1(x); x = x + MDTA(a + DaLe(a)); x = x + GDFN(LN2(x))}. Without experts (ablation) it is
 * {@code x + MDTA(LN1(x))}, i.e. a {@link PlainBlock}.
 */
public final class EncoderBlock {

    private EncoderBlock() {}

    /** x: pixel rows [B*H*W, C] at {@code level}. Adds the router logits of its DaLe to {@code routers}. */
    public static SDVariable apply(
            Graph g, Level level, String prefix, SDVariable x, BlockSpec s, List<SDVariable> routers) {
        SDVariable a = LayerNorm.apply(g, prefix + ".norm1", x, s.channels());
        SDVariable f = a;
        if (s.useExperts()) {
            DaLe.Output dale = DaLe.apply(g, level, prefix + ".dale", a, s);
            routers.add(dale.logits());
            f = a.add(dale.out());
        }
        SDVariable y = x.add(Mdta.apply(g, level, prefix + ".attn", f, s.channels(), s.heads()));
        return PlainBlock.feedForward(g, level, prefix, y, s);
    }
}
