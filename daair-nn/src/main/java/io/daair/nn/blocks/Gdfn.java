package io.daair.nn.blocks;

import io.daair.nn.graph.Graph;
import io.daair.nn.graph.Level;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * GDFN, gated-Dconv feed-forward network (docs/architecture.md, "Blocks"; Restormer Sec. 3.2):
 * {@code project_out(GELU(x1) * x2)} with {@code x1, x2 = split2(dw(project_in(x)))}; no biases. The split is
 * of the weights, not of the activation: {@code x1} and {@code x2} come from the two column halves of
 * {@code project_in} and the two channel halves of {@code dw} (same values, no channel split of a large tensor).
 */
public final class Gdfn {

    private Gdfn() {}

    /** x: pixel rows [B*H*W, C] at {@code level}; returns [B*H*W, C]. */
    public static SDVariable apply(Graph g, Level level, String prefix, SDVariable x, int c, int hidden) {
        SDVariable in = g.uniform(prefix + ".project_in.weight", c, 1, 1, c, 2 * hidden);
        SDVariable dw = g.uniform(prefix + ".dw.weight", 9, 3, 3, 2 * hidden, 1);
        SDVariable[] half = new SDVariable[2];
        for (int i = 0; i < 2; i++) {
            SDVariable projected = g.sd().mmul(x, g.pointwiseColumns(in, i * hidden, hidden)); // [N, hidden]
            half[i] = g.depthwise(level, projected, g.depthwiseChannels(dw, i * hidden, hidden), hidden, 3);
        }
        return g.pointwise(prefix + ".project_out.weight", Gelu.gated(g, half[0], half[1]), hidden, c);
    }
}
