package io.daair.nn.blocks;

import io.daair.nn.graph.Graph;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Restormer's transposed (channel) attention (docs/architecture.md, "Blocks"): per head,
 * {@code softmax(norm(q) norm(k)^T * t) v} over C/h x C/h channel pairs; temperature {@code prefix.temperature}
 * (h, 1, 1), ones at init.
 *
 * <p>L2 normalisation along H*W is {@code x * rsqrt(sum x^2 + 1e-12)} (SameDiff's {@code x / max(||x||, eps)}
 * has a NaN gradient at 0); it equals PyTorch's {@code F.normalize(eps = 1e-12)} to float precision
 * whenever {@code ||x|| >> 1e-6}.
 */
public final class ChannelAttention {

    /** Added to the squared norm before rsqrt. */
    public static final double NORM_EPS = 1e-12;

    private ChannelAttention() {}

    /** q, k, v: (B, C, H, W) each; returns (B, C, H, W). */
    public static SDVariable apply(Graph g, String prefix, SDVariable q, SDVariable k, SDVariable v, int c, int heads) {
        SameDiff sd = g.sd();
        SDVariable t = g.filled(prefix + ".temperature", 1.0, heads, 1, 1);
        SDVariable headShape = sd.concat(0, g.dims(q, 0, 1), g.longs(heads, c / heads, -1));
        SDVariable qh = normalise(g, sd.reshape(q, headShape)); // [B, h, C/h, H*W]
        SDVariable kh = normalise(g, sd.reshape(k, headShape)); // [B, h, C/h, H*W]
        SDVariable vh = sd.reshape(v, headShape); // [B, h, C/h, H*W]
        SDVariable logits = sd.mmul(qh, kh, false, true, false).mul(sd.reshape(t, 1, heads, 1, 1)); // [B, h, C/h, C/h]
        SDVariable attn = sd.nn().softmax(logits, 3);
        SDVariable out = sd.mmul(attn, vh); // [B, h, C/h, H*W]
        return sd.reshape(out, g.shape(q)); // [B, C, H, W]
    }

    private static SDVariable normalise(Graph g, SDVariable x) {
        SDVariable sumSq = x.mul(x).sum(true, 3);
        return x.mul(g.sd().math().rsqrt(sumSq.add(NORM_EPS)));
    }
}
