package io.daair.nn.blocks;

import io.daair.nn.graph.Graph;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Per-pixel LayerNorm over channels (docs/architecture.md, "Blocks"):
 * {@code (x - mean_c) / sqrt(var_c + 1e-5) * w + b}, biased variance, over the last axis of pixel rows.
 * Composed from mean/rsqrt because SameDiff's built-in layerNorm has no epsilon. Parameters
 * {@code prefix.weight} (ones) and {@code prefix.bias} (zeros), shape (C), broadcast over the rows as they are.
 */
public final class LayerNorm {

    /** PyTorch's default epsilon. */
    public static final double EPS = 1e-5;

    private LayerNorm() {}

    /** x: pixel rows [B*H*W, C]; returns [B*H*W, C]. */
    public static SDVariable apply(Graph g, String prefix, SDVariable x, int channels) {
        SDVariable w = g.filled(prefix + ".weight", 1.0, channels);
        SDVariable b = g.filled(prefix + ".bias", 0.0, channels);
        SDVariable centred = x.sub(x.mean(true, 1)); // [N, C] minus [N, 1]
        SDVariable var = centred.mul(centred).mean(true, 1); // [N, 1]
        SDVariable normed = centred.mul(g.sd().math().rsqrt(var.add(EPS)));
        return normed.mul(w).add(b); // [N, C] times [C] plus [C]
    }
}
