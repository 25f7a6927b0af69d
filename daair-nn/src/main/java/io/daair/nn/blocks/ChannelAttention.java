package io.daair.nn.blocks;

import io.daair.nn.graph.Graph;
import io.daair.nn.graph.Level;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Restormer's transposed (channel) attention (docs/architecture.md, "Blocks"): per head,
 * {@code softmax(norm(q) norm(k)^T * t) v} over C/h x C/h channel pairs; temperature {@code prefix.temperature}
 * (h, 1, 1), ones at init.
 *
 * <p>From pixel rows, each head is an {@code [H*W, C/h]} matrix, the spec's {@code (C/h, H*W)} transposed:
 * {@code q k^T} is {@code q'^T k'} and {@code attn v} is {@code (v'^T attn^T)^T}, so the products read the rows
 * as they are ({@code mmul} with transpose flags) and only the head axis is moved (not at all for one head).
 *
 * <p>L2 normalisation along H*W is {@code x * rsqrt(sum x^2 + 1e-12)} (SameDiff's {@code x / max(||x||, eps)}
 * has a NaN gradient at 0); it equals PyTorch's {@code F.normalize(eps = 1e-12)} to float precision
 * whenever {@code ||x|| >> 1e-6}. It is applied to the products {@code q^T k} rather than to q and k: the same
 * logits, and the broadcast multiplications (whose backward reduced over every pixel, a quarter of a {@code tiny}
 * training step) act on (C/h)^2 values instead of H*W x C/h.
 */
public final class ChannelAttention {

    /** Added to the squared norm before rsqrt. */
    public static final double NORM_EPS = 1e-12;

    private ChannelAttention() {}

    /** q, k, v: pixel rows [B*H*W, C] each at {@code level}; returns [B*H*W, C]. */
    public static SDVariable apply(
            Graph g, Level level, String prefix, SDVariable q, SDVariable k, SDVariable v, int c, int heads) {
        SameDiff sd = g.sd();
        SDVariable t = g.filled(prefix + ".temperature", 1.0, heads, 1, 1);
        SDVariable qh = heads(g, level, q, c, heads); // [B, h, H*W, C/h]
        SDVariable kh = heads(g, level, k, c, heads); // [B, h, H*W, C/h]
        SDVariable vh = heads(g, level, v, c, heads); // [B, h, H*W, C/h]
        // norm(q)^T norm(k) = (q^T k) / (|q_i| |k_j|): the norms scale the (C/h)^2 products, not the H*W rows
        SDVariable products = sd.mmul(qh, kh, true, false, false); // [B, h, C/h, C/h]
        SDVariable logits = products.mul(sd.permute(inverseNorms(qh), 0, 1, 3, 2)) // rows i: 1 / |q_i|
                .mul(inverseNorms(kh)) // columns j: 1 / |k_j|
                .mul(sd.reshape(t, 1, heads, 1, 1));
        SDVariable attn = sd.nn().softmax(logits, 3);
        SDVariable out = sd.mmul(vh, attn, false, true, false); // [B, h, H*W, C/h]
        if (heads > 1) {
            out = sd.permute(out, 0, 2, 1, 3); // [B, H*W, h, C/h]
        }
        return Level.rows(out, c); // [B*H*W, C]
    }

    /** Rows [B*H*W, C] as heads [B, h, H*W, C/h]. */
    private static SDVariable heads(Graph g, Level level, SDVariable rows, int c, int heads) {
        if (heads == 1) {
            return g.sd().reshape(rows, level.batchShape(1, -1, c));
        }
        SDVariable split = g.sd().reshape(rows, level.batchShape(-1, heads, c / heads)); // [B, H*W, h, C/h]
        return g.sd().permute(split, 0, 2, 1, 3);
    }

    /** {@code 1 / |x_j|} for every column j of x along H*W (axis 2): [B, h, 1, C/h]. */
    private static SDVariable inverseNorms(SDVariable x) {
        SDVariable sumSq = x.mul(x).sum(true, 2);
        return x.getSameDiff().math().rsqrt(sumSq.add(NORM_EPS));
    }
}
