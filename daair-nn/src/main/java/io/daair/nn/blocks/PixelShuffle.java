package io.daair.nn.blocks;

import io.daair.nn.graph.Graph;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * PyTorch's {@code pixel_shuffle} / {@code pixel_unshuffle} (factor 2) for the U-Net's up/down paths
 * (docs/architecture.md, "Whole network"): channel {@code c*4 + i*2 + j} of the unshuffled tensor holds
 * input channel {@code c} at offset (i, j). SameDiff's depthToSpace/spaceToDepth order channels the
 * TensorFlow way, so both are written as reshape/permute/reshape with shapes taken from the input.
 */
public final class PixelShuffle {

    private PixelShuffle() {}

    /** (B, C, H, W) to (B, 4C, H/2, W/2). */
    public static SDVariable unshuffle(Graph g, SDVariable x) {
        SDVariable b = g.dims(x, 0, 1);
        SDVariable c = g.dims(x, 1, 1);
        SDVariable hw = g.dims(x, 2, 2).div(g.longs(2, 2)); // [H/2, W/2]
        SDVariable h = g.sd().slice(hw, new int[] {0}, 1);
        SDVariable w = g.sd().slice(hw, new int[] {1}, 1);
        SDVariable two = g.longs(2);
        // [B, C, H/2, 2, W/2, 2]
        SDVariable split = g.sd().reshape(x, g.sd().concat(0, b, c, h, two, w, two));
        // [B, C, 2(i), 2(j), H/2, W/2]
        SDVariable moved = g.sd().permute(split, 0, 1, 3, 5, 2, 4);
        // [B, 4C, H/2, W/2]
        return g.sd().reshape(moved, g.sd().concat(0, b, c.mul(g.longs(4)), h, w));
    }

    /** (B, 4C, H, W) to (B, C, 2H, 2W). */
    public static SDVariable shuffle(Graph g, SDVariable x) {
        SDVariable b = g.dims(x, 0, 1);
        SDVariable c = g.dims(x, 1, 1).div(g.longs(4));
        SDVariable h = g.dims(x, 2, 1);
        SDVariable w = g.dims(x, 3, 1);
        SDVariable two = g.longs(2);
        // [B, C, 2(i), 2(j), H, W]
        SDVariable split = g.sd().reshape(x, g.sd().concat(0, b, c, two, two, h, w));
        // [B, C, H, 2(i), W, 2(j)]
        SDVariable moved = g.sd().permute(split, 0, 1, 4, 2, 5, 3);
        // [B, C, 2H, 2W]
        return g.sd().reshape(moved, g.sd().concat(0, b, c, h.mul(two), w.mul(two)));
    }
}
