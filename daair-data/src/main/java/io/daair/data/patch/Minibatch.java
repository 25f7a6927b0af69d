package io.daair.data.patch;

/**
 * A training minibatch: clean and degraded patches as NCHW float32 in [0, 1] ({@code [size, 3, height, width]},
 * flattened row-major) and the class label of each patch.
 */
public record Minibatch(int size, int height, int width, float[] clean, float[] degraded, int[] labels) {

    public Minibatch {
        int expected = size * 3 * height * width;
        if (clean.length != expected || degraded.length != expected || labels.length != size) {
            throw new IllegalArgumentException(
                    "minibatch arrays do not match [" + size + ", 3, " + height + ", " + width + "]");
        }
    }

    /** The NCHW shape {@code [size, 3, height, width]}. */
    public long[] shape() {
        return new long[] {size, 3, height, width};
    }
}
