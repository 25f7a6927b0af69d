package io.daair.nn.blocks;

import io.daair.nn.graph.Graph;
import io.daair.nn.graph.Level;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The DecoderBlock (paper Sec. 3.3; docs/architecture.md, "Blocks"):
 * {@code a = LN1(x); x = x + CrossMDTA(f = a + DaLe(a), c = Controller(a)); x = x + GDFN(LN2(x))}.
 * Without the controller (ablation) it is an {@link EncoderBlock} (self-attention).
 */
public final class DecoderBlock {

    private DecoderBlock() {}

    /**
     * @param x pixel rows [B*H*W, C] at {@code level}
     * @param agnosticPrefixes the encoder's agnostic experts at this level, which the controller follows
     */
    public static SDVariable apply(
            Graph g,
            Level level,
            String prefix,
            SDVariable x,
            BlockSpec s,
            boolean useController,
            List<String> agnosticPrefixes,
            List<SDVariable> routers) {
        if (!useController) {
            return EncoderBlock.apply(g, level, prefix, x, s, routers);
        }
        SDVariable a = LayerNorm.apply(g, prefix + ".norm1", x, s.channels());
        DaLe.Output dale = DaLe.apply(g, level, prefix + ".dale", a, s);
        routers.add(dale.logits());
        SDVariable control = Controller.apply(g, level, prefix + ".controller", a, s, agnosticPrefixes);
        SDVariable attn = CrossMdta.apply(
                g, level, prefix + ".attn", a.add(dale.out()), control, s.channels(), s.rank(), s.heads());
        return PlainBlock.feedForward(g, level, prefix, x.add(attn), s);
    }
}
