package io.daair.data.metrics;

import io.daair.data.image.RgbImage;
import java.util.Arrays;

/**
 * Structural similarity of the evaluation protocol (docs/architecture.md, "Data and evaluation protocol"), exactly
 * as scikit-image's {@code structural_similarity(clean, test, gaussian_weights=True, sigma=1.5,
 * use_sample_covariance=False, data_range=1, channel_axis=-1)} computes it (Wang et al. 2004).
 *
 * <p>Per channel: local means, variances and covariance are Gaussian-weighted (sigma 1.5, truncate 3.5, so
 * radius {@code int(3.5 * 1.5 + 0.5) = 5} and an 11x11 window, normalised to sum 1), population covariance,
 * {@code C1 = (0.01)^2}, {@code C2 = (0.03)^2}; the SSIM map is averaged after cropping
 * {@code (win_size - 1) / 2 = 5} pixels from every side; the result is the mean over channels.
 *
 * <p>scikit-image filters the whole image with scipy's {@code mode='reflect'} and then crops exactly the filter
 * radius, so every value that enters the mean is computed from pixels inside the image: this class evaluates
 * the filters on that valid region only (no padding at all), which is the same number. The filter is
 * separable: one horizontal pass per row into a ring of 11 rows, then one vertical pass per output row, in
 * double precision; memory is 55 rows of doubles whatever the height (a 4000x3000 RGB image takes about a
 * second).
 */
public final class Ssim {

    /** Smallest width and height: scikit-image refuses images smaller than the 11x11 window. */
    public static final int MIN_SIZE = 11;

    private static final double SIGMA = 1.5;
    private static final double TRUNCATE = 3.5;
    private static final int RADIUS = (int) (TRUNCATE * SIGMA + 0.5);
    private static final int WINDOW = 2 * RADIUS + 1;
    private static final double C1 = 0.01 * 0.01;
    private static final double C2 = 0.03 * 0.03;
    private static final double[] WEIGHTS = gaussianWeights();

    /** The five filtered quantities: x, y, x*x, y*y, x*y. */
    private static final int MOMENTS = 5;

    private Ssim() {}

    /** Mean SSIM of {@code test} against {@code clean} (same size, at least 11x11), averaged over channels. */
    public static double compute(RgbImage clean, RgbImage test) {
        Psnr.requireSameSize(clean, test);
        return compute(clean.chw(), test.chw(), clean.width(), clean.height());
    }

    /**
     * Mean SSIM of {@code test} against {@code clean}, averaged over channels.
     *
     * @param clean reference image, CHW (channel planes, each row-major), values in [0, 1]
     * @param test image to score, same shape
     * @param width image width in pixels, at least {@value #MIN_SIZE}
     * @param height image height in pixels, at least {@value #MIN_SIZE}
     * @throws IllegalArgumentException if the shapes disagree or the image is smaller than the window
     */
    public static double compute(float[] clean, float[] test, int width, int height) {
        if (width < MIN_SIZE || height < MIN_SIZE) {
            throw new IllegalArgumentException("SSIM needs images of at least " + MIN_SIZE + "x" + MIN_SIZE
                    + " pixels (its Gaussian window); got " + width + "x" + height);
        }
        int plane = width * height;
        if (clean.length != test.length || clean.length == 0 || clean.length % plane != 0) {
            throw new IllegalArgumentException("SSIM needs two CHW images of the same shape with " + width + "x"
                    + height + " pixels per channel; got " + clean.length + " and " + test.length + " values");
        }
        int channels = clean.length / plane;
        double sum = 0;
        for (int c = 0; c < channels; c++) {
            sum += meanSsimOfPlane(clean, test, c * plane, width, height);
        }
        return sum / channels;
    }

    /** Mean of the cropped SSIM map of one channel plane starting at {@code offset}. */
    private static double meanSsimOfPlane(float[] x, float[] y, int offset, int width, int height) {
        int outWidth = width - 2 * RADIUS;
        int outHeight = height - 2 * RADIUS;
        // ring[row % WINDOW] holds the horizontally filtered moments of one source row: [MOMENTS][outWidth]
        double[][][] ring = new double[WINDOW][MOMENTS][outWidth];
        double[][] moments = new double[MOMENTS][width];
        double[][] local = new double[MOMENTS][outWidth];
        double sum = 0;
        for (int row = 0; row < height; row++) {
            loadMoments(x, y, offset + row * width, moments);
            double[][] filtered = ring[row % WINDOW];
            for (int m = 0; m < MOMENTS; m++) {
                filterRow(moments[m], filtered[m]);
            }
            if (row >= WINDOW - 1) {
                filterColumns(ring, row - (WINDOW - 1), local);
                sum += sumSsim(local);
            }
        }
        return sum / ((double) outWidth * outHeight);
    }

    private static void loadMoments(float[] x, float[] y, int start, double[][] moments) {
        double[] mx = moments[0];
        double[] my = moments[1];
        double[] mxx = moments[2];
        double[] myy = moments[3];
        double[] mxy = moments[4];
        for (int i = 0; i < mx.length; i++) {
            double a = x[start + i];
            double b = y[start + i];
            mx[i] = a;
            my[i] = b;
            mxx[i] = a * a;
            myy[i] = b * b;
            mxy[i] = a * b;
        }
    }

    /** Valid-region 1-D Gaussian: {@code out[j] = sum_k w[k] in[j + k]}, out shorter by 2 * RADIUS. */
    private static void filterRow(double[] in, double[] out) {
        Arrays.fill(out, 0);
        for (int k = 0; k < WINDOW; k++) {
            double w = WEIGHTS[k];
            for (int j = 0; j < out.length; j++) {
                out[j] += w * in[j + k];
            }
        }
    }

    /** Vertical Gaussian over the ring rows {@code first .. first + WINDOW - 1}, per moment. */
    private static void filterColumns(double[][][] ring, int first, double[][] out) {
        for (int m = 0; m < MOMENTS; m++) {
            double[] acc = out[m];
            Arrays.fill(acc, 0);
            for (int k = 0; k < WINDOW; k++) {
                double w = WEIGHTS[k];
                double[] src = ring[(first + k) % WINDOW][m];
                for (int j = 0; j < acc.length; j++) {
                    acc[j] += w * src[j];
                }
            }
        }
    }

    /** Sum over one output row of {@code (2 ux uy + C1)(2 vxy + C2) / ((ux^2 + uy^2 + C1)(vx + vy + C2))}. */
    private static double sumSsim(double[][] local) {
        double[] ux = local[0];
        double[] uy = local[1];
        double[] uxx = local[2];
        double[] uyy = local[3];
        double[] uxy = local[4];
        double sum = 0;
        for (int j = 0; j < ux.length; j++) {
            double vx = uxx[j] - ux[j] * ux[j];
            double vy = uyy[j] - uy[j] * uy[j];
            double vxy = uxy[j] - ux[j] * uy[j];
            double a1 = 2 * ux[j] * uy[j] + C1;
            double a2 = 2 * vxy + C2;
            double b1 = ux[j] * ux[j] + uy[j] * uy[j] + C1;
            double b2 = vx + vy + C2;
            sum += (a1 * a2) / (b1 * b2);
        }
        return sum;
    }

    /** scipy.ndimage's {@code _gaussian_kernel1d}: {@code exp(-x^2 / (2 sigma^2))}, x = -R..R, sum 1. */
    private static double[] gaussianWeights() {
        double[] w = new double[WINDOW];
        double total = 0;
        for (int k = 0; k < WINDOW; k++) {
            int x = k - RADIUS;
            w[k] = Math.exp(-0.5 / (SIGMA * SIGMA) * x * x);
            total += w[k];
        }
        for (int k = 0; k < WINDOW; k++) {
            w[k] /= total;
        }
        return w;
    }
}
