package io.daair.data.degrade;

import io.daair.data.BadInputException;
import io.daair.data.image.RgbImage;
import java.util.function.DoubleSupplier;

/**
 * Additive white Gaussian noise, exactly the denoising benchmark protocol (paper Sec. 4.1, BSD68 sigma 15/25/50):
 * {@code noisy = uint8(clip(clean_uint8 + N(0, sigma^2), 0, 255))}, where the cast truncates (as NumPy's
 * {@code astype(np.uint8)} does after {@code np.clip}).
 *
 * <p>The clean image is first quantised to 8 bits ({@link RgbImage#toUint8()}). Normals come from
 * {@link RandomStream#gaussian()} in CHW order (all of R row by row, then G, then B).
 */
public final class NoiseDegrader implements Degrader {

    private final double sigma;

    /** {@code sigma} on the 0..255 scale (15, 25 or 50 in the benchmark). */
    public NoiseDegrader(double sigma) {
        if (!(sigma > 0 && sigma <= 255)) {
            throw new BadInputException("noise sigma must be in (0, 255] on the 0..255 scale, got " + sigma);
        }
        this.sigma = sigma;
    }

    @Override
    public Degradation kind() {
        return Degradation.NOISE;
    }

    /** The noise standard deviation on the 0..255 scale. */
    public double sigma() {
        return sigma;
    }

    @Override
    public Degraded apply(RgbImage clean, long seed) {
        RandomStream random = new RandomStream(seed);
        byte[] noisy = addNoise(clean.toUint8(), sigma, random::gaussian);
        DegradationParams params = DegradationParams.builder(Degradation.NOISE, seed)
                .put("source", "synthetic")
                .put("sigma", sigma)
                .build();
        return new Degraded(RgbImage.fromUint8(clean.width(), clean.height(), noisy), params);
    }

    /** The protocol on raw samples: {@code out[i] = noisy(clean[i], sigma, normal.next())}. */
    public static byte[] addNoise(byte[] clean, double sigma, DoubleSupplier normal) {
        byte[] out = new byte[clean.length];
        for (int i = 0; i < clean.length; i++) {
            out[i] = (byte) noisy(clean[i] & 0xFF, sigma, normal.getAsDouble());
        }
        return out;
    }

    /** One sample: {@code (int) clip(clean + sigma * z, 0, 255)}. */
    public static int noisy(int clean, double sigma, double z) {
        double v = clean + sigma * z;
        return (int) (v < 0 ? 0 : (v > 255 ? 255 : v));
    }
}
