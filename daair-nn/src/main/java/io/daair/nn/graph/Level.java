package io.daair.nn.graph;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The pixel grid of one U-Net level (or of one routed sub-batch): its {@code [B, H, W]} as a LONG vector,
 * computed once, and the reshapes between pixel rows {@code [B*H*W, C]} and NHWC images {@code [B, H, W, C]}
 * that share it. Rows and images are the same c-order memory, so these reshapes copy nothing; the target
 * shapes are built once per channel count.
 */
public final class Level {

    private final Graph g;
    private final SDVariable bhw;
    private final Map<String, SDVariable> shapes = new HashMap<>();

    private Level(Graph g, SDVariable bhw) {
        this.g = g;
        this.bhw = bhw;
    }

    /** The grid of an NHWC image [B, H, W, C]: one shape op. */
    public static Level of(Graph g, SDVariable image) {
        SDVariable shape = g.sd().shape(image).castTo(DataType.INT64);
        return new Level(g, g.sd().slice(shape, new int[] {0}, 3)); // [B, H, W]
    }

    /** The next level down: [B, H/2, W/2]. */
    public Level half() {
        return new Level(g, bhw.div(g.longs(1, 2, 2)));
    }

    /** Pixel rows [B*H*W, C] of an NHWC image (or of any tensor whose last axis is C): a reshape. */
    public static SDVariable rows(SDVariable image, long channels) {
        return image.getSameDiff().reshape(image, -1, channels);
    }

    /** Pixel rows [B*H*W, C] as the NHWC image [B, H, W, C]: a reshape. */
    public SDVariable image(SDVariable rows, long channels) {
        return g.sd().reshape(rows, shape(channels));
    }

    /** {@code [B, H, W, tail...]}, built once per tail. */
    public SDVariable shape(long... tail) {
        return cached("bhw" + Arrays.toString(tail), () -> g.sd().concat(0, bhw, g.longs(tail)));
    }

    /** {@code [B, tail...]}, built once per tail (a tail may hold one -1). */
    public SDVariable batchShape(long... tail) {
        return cached("b" + Arrays.toString(tail), () -> g.sd().concat(0, dim(0), g.longs(tail)));
    }

    /** {@code [head..., W, tail...]}, built once per head and tail (for the pixel shuffles). */
    public SDVariable widthShape(long[] head, long... tail) {
        return cached(Arrays.toString(head) + "w" + Arrays.toString(tail), () -> g.sd().concat(
                        0, g.longs(head), dim(2), g.longs(tail)));
    }

    private SDVariable dim(int axis) {
        return cached("dim" + axis, () -> g.sd().slice(bhw, new int[] {axis}, 1));
    }

    /** Not computeIfAbsent: building one shape may cache another. */
    private SDVariable cached(String key, Supplier<SDVariable> build) {
        SDVariable shape = shapes.get(key);
        if (shape == null) {
            shape = build.get();
            shapes.put(key, shape);
        }
        return shape;
    }
}
