package io.daair.nn.blocks;

import io.daair.nn.graph.Graph;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * GDFN, gated-Dconv feed-forward network (docs/architecture.md, "Blocks"; Restormer Sec. 3.2):
 * {@code project_out(GELU(x1) * x2)} with {@code x1, x2 = split2(dw(project_in(x)))}; no biases.
 */
public final class Gdfn {

    private Gdfn() {}

    public static SDVariable apply(Graph g, String prefix, SDVariable x, int c, int hidden) {
        SDVariable in = g.conv(prefix + ".project_in.weight", x, c, 2 * hidden, 1);
        SDVariable[] parts =
                g.sd().split(g.depthwise(prefix + ".dw.weight", in, 2 * hidden, 3), 2, 1); // 2 x [B, hidden, H, W]
        return g.conv(prefix + ".project_out.weight", Gelu.apply(g, parts[0]).mul(parts[1]), hidden, c, 1);
    }
}
