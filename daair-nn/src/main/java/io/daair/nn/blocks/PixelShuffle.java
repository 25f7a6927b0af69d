package io.daair.nn.blocks;

import io.daair.nn.graph.Graph;
import io.daair.nn.graph.Level;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * PyTorch's {@code pixel_shuffle} / {@code pixel_unshuffle} (factor 2) for the U-Net's up/down paths
 * (docs/architecture.md, "Whole network"), on NHWC memory: channel {@code c*4 + i*2 + j} of the unshuffled
 * tensor holds input channel {@code c} at offset (i, j). SameDiff's depthToSpace/spaceToDepth order channels
 * the TensorFlow way, so both are written as reshape/permute/reshape; the only dynamic size they need is the
 * width of the smaller level's grid.
 */
public final class PixelShuffle {

    private PixelShuffle() {}

    /**
     * [B, H, W, C] (an NHWC image or its pixel rows) to pixel rows of [B, H/2, W/2, 4C].
     *
     * @param half the grid of the output
     */
    public static SDVariable unshuffle(Graph g, SDVariable x, int c, Level half) {
        // [B*H/2, 2(i), W/2, 2(j), C]
        SDVariable split = g.sd().reshape(x, half.widthShape(new long[] {-1, 2}, 2, c));
        // [B*H/2, W/2, C, 2(i), 2(j)]
        SDVariable moved = g.sd().permute(split, 0, 2, 4, 1, 3);
        return Level.rows(moved, 4L * c); // [B*H/2*W/2, 4C]
    }

    /**
     * [B, H, W, 4C] (an NHWC image or its pixel rows) to pixel rows of [B, 2H, 2W, C].
     *
     * @param c output channels
     * @param grid the grid of the input
     */
    public static SDVariable shuffle(Graph g, SDVariable x, int c, Level grid) {
        // [B*H, W, C, 2(i), 2(j)]
        SDVariable split = g.sd().reshape(x, grid.widthShape(new long[] {-1}, c, 2, 2));
        // [B*H, 2(i), W, 2(j), C]
        SDVariable moved = g.sd().permute(split, 0, 3, 1, 4, 2);
        return Level.rows(moved, c); // [B*2H*2W, C]
    }
}
