package io.daair.data.degrade;

import io.daair.data.image.RgbImage;

/**
 * Synthetic low light in the manner of LOL (Wei et al. 2018): an exposure and gamma reduction followed by
 * Poisson-Gaussian sensor noise, then 8-bit quantisation.
 *
 * <p>{@code dark = exposure * clean^gamma} with {@code exposure} in [0.15, 0.35) and {@code gamma} in [1.3, 2.0);
 * {@code noisy = Poisson(peak * dark) / peak + N(0, read^2)} with {@code peak} (photons at white) in [150, 600)
 * and {@code read} in [0.002, 0.01); clipped to [0, 1]. Noise is drawn per sample in CHW order.
 */
public final class LowLightDegrader implements Degrader {

    @Override
    public Degradation kind() {
        return Degradation.LOW_LIGHT;
    }

    @Override
    public Degraded apply(RgbImage clean, long seed) {
        RandomStream random = new RandomStream(seed);
        double exposure = random.uniform(0.15, 0.35);
        double gamma = random.uniform(1.3, 2.0);
        double peak = random.uniform(150, 600);
        double read = random.uniform(0.002, 0.01);
        // the clean image is taken at 8 bits, so darkening and the Poisson threshold are 256-entry tables
        double[] lambda = new double[256];
        double[] knuthLimit = new double[256];
        for (int v = 0; v < 256; v++) {
            lambda[v] = peak * exposure * StrictMath.pow(v / 255.0, gamma);
            knuthLimit[v] = StrictMath.exp(-lambda[v]);
        }
        byte[] src = clean.toUint8();
        float[] out = new float[src.length];
        for (int i = 0; i < src.length; i++) {
            int v = src[i] & 0xFF;
            double photons = random.poisson(lambda[v], knuthLimit[v]);
            double value = photons / peak + read * random.gaussian();
            out[i] = (float) Math.min(1, Math.max(0, value));
        }
        DegradationParams params = DegradationParams.builder(Degradation.LOW_LIGHT, seed)
                .put("source", "synthetic")
                .put("exposure", exposure)
                .put("gamma", gamma)
                .put("peak", peak)
                .put("read_noise", read)
                .build();
        return new Degraded(new RgbImage(clean.width(), clean.height(), out).quantised8(), params);
    }
}
