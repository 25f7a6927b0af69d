package io.daair.nn.blocks;

import io.daair.nn.graph.Graph;
import io.daair.nn.graph.Level;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * MDTA, multi-Dconv head transposed attention (docs/architecture.md, "Blocks"; Restormer Sec. 3.1):
 * {@code proj(attention(split3(qkv_dw(qkv(x)))))}, weights {@code prefix.qkv}, {@code .qkv_dw}, {@code .proj},
 * {@code .temperature}; no biases. q, k and v come from the three column thirds of {@code qkv} and channel
 * thirds of {@code qkv_dw} (the weights are split, not the activation).
 */
public final class Mdta {

    private Mdta() {}

    /** x: pixel rows [B*H*W, C] at {@code level}; returns [B*H*W, C]. */
    public static SDVariable apply(Graph g, Level level, String prefix, SDVariable x, int c, int heads) {
        SDVariable qkv = g.uniform(prefix + ".qkv.weight", c, 1, 1, c, 3 * c);
        SDVariable qkvDw = g.uniform(prefix + ".qkv_dw.weight", 9, 3, 3, 3 * c, 1);
        SDVariable[] parts = new SDVariable[3]; // q, k, v: [B*H*W, C] each
        for (int i = 0; i < 3; i++) {
            SDVariable projected = g.sd().mmul(x, g.pointwiseColumns(qkv, i * c, c));
            parts[i] = g.depthwise(level, projected, g.depthwiseChannels(qkvDw, i * c, c), c, 3);
        }
        SDVariable attn = ChannelAttention.apply(g, level, prefix, parts[0], parts[1], parts[2], c, heads);
        return g.pointwise(prefix + ".proj.weight", attn, c, c);
    }
}
