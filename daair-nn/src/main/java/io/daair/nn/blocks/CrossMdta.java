package io.daair.nn.blocks;

import io.daair.nn.graph.Graph;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Cross-attention of the DecoderBlock (docs/architecture.md, "Blocks": CrossMDTA, from the paper's decoder text):
 * queries and values from the modulated features f, keys from the controller features (r channels).
 * Weights {@code prefix.qv}, {@code .qv_dw}, {@code .k}, {@code .k_dw}, {@code .proj}, {@code .temperature}.
 */
public final class CrossMdta {

    private CrossMdta() {}

    /** f: (B, C, H, W), control: (B, r, H, W). */
    public static SDVariable apply(Graph g, String prefix, SDVariable f, SDVariable control, int c, int r, int heads) {
        SDVariable qv = g.depthwise(prefix + ".qv_dw.weight", g.conv(prefix + ".qv.weight", f, c, 2 * c, 1), 2 * c, 3);
        SDVariable[] parts = g.sd().split(qv, 2, 1); // 2 x [B, C, H, W]: q, v
        SDVariable k = g.depthwise(prefix + ".k_dw.weight", g.conv(prefix + ".k.weight", control, r, c, 1), c, 3);
        SDVariable attn = ChannelAttention.apply(g, prefix, parts[0], k, parts[1], c, heads);
        return g.conv(prefix + ".proj.weight", attn, c, c, 1);
    }
}
