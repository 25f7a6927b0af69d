package io.daair.nn.blocks;

import io.daair.nn.graph.Graph;
import io.daair.nn.graph.Level;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Cross-attention of the DecoderBlock (docs/architecture.md, "Blocks": CrossMDTA, from the paper's decoder text):
 * queries and values from the modulated features f, keys from the controller features (r channels).
 * Weights {@code prefix.qv}, {@code .qv_dw}, {@code .k}, {@code .k_dw}, {@code .proj}, {@code .temperature};
 * q and v come from the column halves of {@code qv} and channel halves of {@code qv_dw}.
 */
public final class CrossMdta {

    private CrossMdta() {}

    /** f: pixel rows [B*H*W, C], control: [B*H*W, r], both at {@code level}; returns [B*H*W, C]. */
    public static SDVariable apply(
            Graph g, Level level, String prefix, SDVariable f, SDVariable control, int c, int r, int heads) {
        SDVariable qv = g.uniform(prefix + ".qv.weight", c, 1, 1, c, 2 * c);
        SDVariable qvDw = g.uniform(prefix + ".qv_dw.weight", 9, 3, 3, 2 * c, 1);
        SDVariable[] parts = new SDVariable[2]; // q, v: [B*H*W, C] each
        for (int i = 0; i < 2; i++) {
            SDVariable projected = g.sd().mmul(f, g.pointwiseColumns(qv, i * c, c));
            parts[i] = g.depthwise(level, projected, g.depthwiseChannels(qvDw, i * c, c), c, 3);
        }
        SDVariable k =
                g.depthwise(prefix + ".k_dw.weight", level, g.pointwise(prefix + ".k.weight", control, r, c), c, 3);
        SDVariable attn = ChannelAttention.apply(g, level, prefix, parts[0], k, parts[1], c, heads);
        return g.pointwise(prefix + ".proj.weight", attn, c, c);
    }
}
