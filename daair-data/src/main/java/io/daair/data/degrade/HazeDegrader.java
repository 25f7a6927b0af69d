package io.daair.data.degrade;

import io.daair.data.image.RgbImage;

/**
 * Synthetic haze by the atmospheric scattering model, as RESIDE builds OTS: {@code I = J t + A (1 - t)},
 * {@code t = exp(-beta d)}, with RESIDE OTS's ranges {@code beta} in [0.04, 0.2) and {@code A} in [0.8, 1.0).
 *
 * <p>RESIDE uses an estimated depth map; without one, the depth proxy is the usual outdoor prior that the scene
 * recedes towards the top of the frame: {@code d(y) = near + (far - near) * (1 - y / (H - 1))^0.7}, with
 * {@code near = 1} and {@code far} in [8, 16) (choice), the same for every column.
 */
public final class HazeDegrader implements Degrader {

    @Override
    public Degradation kind() {
        return Degradation.HAZE;
    }

    @Override
    public Degraded apply(RgbImage clean, long seed) {
        RandomStream random = new RandomStream(seed);
        double beta = random.uniform(0.04, 0.2);
        double airlight = random.uniform(0.8, 1.0);
        double near = 1.0;
        double far = random.uniform(8, 16);
        int w = clean.width();
        int h = clean.height();
        float[] out = new float[clean.chw().length];
        for (int y = 0; y < h; y++) {
            double up = h == 1 ? 0 : 1.0 - (double) y / (h - 1);
            double depth = near + (far - near) * StrictMath.pow(up, 0.7);
            float t = (float) StrictMath.exp(-beta * depth);
            float haze = (float) (airlight * (1 - t));
            for (int c = 0; c < 3; c++) {
                int base = (c * h + y) * w;
                for (int x = 0; x < w; x++) {
                    out[base + x] = clean.chw()[base + x] * t + haze;
                }
            }
        }
        DegradationParams params = DegradationParams.builder(Degradation.HAZE, seed)
                .put("source", "synthetic")
                .put("beta", beta)
                .put("A", airlight)
                .put("depth_near", near)
                .put("depth_far", far)
                .build();
        return new Degraded(new RgbImage(w, h, out).quantised8(), params);
    }
}
