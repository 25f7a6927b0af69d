package io.daair.nn.train;

/**
 * One training minibatch, NCHW float32 in [0, 1].
 *
 * @param degraded (batch, 3, height, width)
 * @param clean (batch, 3, height, width)
 * @param labels degradation label per sample (noise 0, rain 1, haze 2, blur 3, low light 4)
 * @param batch B
 * @param height H, a multiple of 8
 * @param width W, a multiple of 8
 */
public record Minibatch(float[] degraded, float[] clean, int[] labels, int batch, int height, int width) {

    /** Checks the array lengths against the shape. */
    public Minibatch {
        long n = 3L * batch * height * width;
        if (batch < 1 || height < 8 || width < 8 || height % 8 != 0 || width % 8 != 0) {
            throw new IllegalArgumentException("minibatch shape must be B >= 1 and H, W positive multiples of 8, got B="
                    + batch + " H=" + height + " W=" + width);
        }
        if (degraded.length != n || clean.length != n || labels.length != batch) {
            throw new IllegalArgumentException("minibatch arrays do not match B=" + batch + " H=" + height + " W="
                    + width + ": degraded " + degraded.length + ", clean " + clean.length + " (want " + n
                    + "), labels " + labels.length);
        }
    }
}
