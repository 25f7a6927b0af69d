package io.daair.nn.blocks;

import io.daair.nn.graph.Graph;
import io.daair.nn.ops.LayerNormOp;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Per-pixel LayerNorm over channels (docs/architecture.md, "Blocks"):
 * {@code (x - mean_c) / sqrt(var_c + 1e-5) * w + b}, biased variance, over the last axis of pixel rows, as
 * one fused op with an analytic backward ({@link LayerNormOp}; SameDiff's built-in layerNorm has no epsilon).
 * Parameters {@code prefix.weight} (ones) and {@code prefix.bias} (zeros), shape (C).
 */
public final class LayerNorm {

    private LayerNorm() {}

    /** x: pixel rows [B*H*W, C]; returns [B*H*W, C]. */
    public static SDVariable apply(Graph g, String prefix, SDVariable x, int channels) {
        SDVariable w = g.filled(prefix + ".weight", 1.0, channels);
        SDVariable b = g.filled(prefix + ".bias", 0.0, channels);
        return new LayerNormOp(g.sd(), x, w, b).outputVariable();
    }
}
