package io.daair.nn.blocks;

import io.daair.nn.graph.Graph;
import io.daair.nn.graph.Level;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The refinement block (docs/architecture.md, "Blocks"; Restormer's TransformerBlock):
 * {@code x = x + MDTA(LN1(x)); x = x + GDFN(LN2(x))}.
 */
public final class PlainBlock {

    private PlainBlock() {}

    /** x: pixel rows [B*H*W, C] at {@code level}; returns [B*H*W, C]. */
    public static SDVariable apply(Graph g, Level level, String prefix, SDVariable x, BlockSpec s) {
        SDVariable a = LayerNorm.apply(g, prefix + ".norm1", x, s.channels());
        SDVariable y = x.add(Mdta.apply(g, level, prefix + ".attn", a, s.channels(), s.heads()));
        return feedForward(g, level, prefix, y, s);
    }

    /** The second half every block shares: {@code x + GDFN(LN2(x))}. */
    static SDVariable feedForward(Graph g, Level level, String prefix, SDVariable x, BlockSpec s) {
        SDVariable n = LayerNorm.apply(g, prefix + ".norm2", x, s.channels());
        return x.add(Gdfn.apply(g, level, prefix + ".ffn", n, s.channels(), s.ffnHidden()));
    }
}
