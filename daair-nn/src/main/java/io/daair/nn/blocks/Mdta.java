package io.daair.nn.blocks;

import io.daair.nn.graph.Graph;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * MDTA, multi-Dconv head transposed attention (docs/architecture.md, "Blocks"; Restormer Sec. 3.1):
 * {@code proj(attention(split3(qkv_dw(qkv(x)))))}, weights {@code prefix.qkv}, {@code .qkv_dw}, {@code .proj},
 * {@code .temperature}; no biases.
 */
public final class Mdta {

    private Mdta() {}

    public static SDVariable apply(Graph g, String prefix, SDVariable x, int c, int heads) {
        SDVariable qkv =
                g.depthwise(prefix + ".qkv_dw.weight", g.conv(prefix + ".qkv.weight", x, c, 3 * c, 1), 3 * c, 3);
        SDVariable[] parts = g.sd().split(qkv, 3, 1); // 3 x [B, C, H, W]: q, k, v
        SDVariable attn = ChannelAttention.apply(g, prefix, parts[0], parts[1], parts[2], c, heads);
        return g.conv(prefix + ".proj.weight", attn, c, c, 1);
    }
}
