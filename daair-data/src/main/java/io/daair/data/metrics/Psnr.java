package io.daair.data.metrics;

import io.daair.data.image.RgbImage;

/**
 * Peak signal-to-noise ratio of the evaluation protocol (docs/architecture.md, "Data and evaluation protocol"):
 * full RGB images in [0, 1], data range 1, no border crop.
 *
 * <p>Computes what scikit-image's {@code peak_signal_noise_ratio(clean, test, data_range=1)} computes:
 * {@code 10 log10(1 / mse)} with the mean squared error over every value of every channel, in double
 * precision. Identical images give {@code +Infinity}, as scikit-image does.
 */
public final class Psnr {

    private Psnr() {}

    /** PSNR in dB of {@code test} against {@code clean}, which must have the same size. */
    public static double compute(RgbImage clean, RgbImage test) {
        requireSameSize(clean, test);
        return compute(clean.chw(), test.chw());
    }

    static void requireSameSize(RgbImage clean, RgbImage test) {
        if (clean.width() != test.width() || clean.height() != test.height()) {
            throw new IllegalArgumentException("Cannot compare a " + test.width() + "x" + test.height()
                    + " image with a " + clean.width() + "x" + clean.height() + " reference: sizes differ");
        }
    }

    /**
     * PSNR in dB of {@code test} against {@code clean}.
     *
     * @param clean the reference image, any layout (CHW for the rest of daair), values in [0, 1]
     * @param test the image to score, same layout and length
     * @throws IllegalArgumentException if the lengths differ or the images are empty
     */
    public static double compute(float[] clean, float[] test) {
        if (clean.length != test.length || clean.length == 0) {
            throw new IllegalArgumentException("PSNR needs two non-empty images of the same size; got " + clean.length
                    + " and " + test.length + " values");
        }
        double sum = 0;
        for (int i = 0; i < clean.length; i++) {
            double d = (double) clean[i] - test[i];
            sum += d * d;
        }
        double mse = sum / clean.length;
        return 10 * Math.log10(1.0 / mse);
    }
}
