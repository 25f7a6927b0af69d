package io.daair.data.degrade;

import io.daair.data.image.RgbImage;

/**
 * Synthetic light rain in the manner of Rain100L (Yang et al. 2017): one dominant direction, sparse thin bright
 * streaks, screen-blended onto the photo.
 *
 * <p>Per image: streak count {@code density * W * H} with {@code density} in [0.002, 0.006) per pixel; length
 * in [0.06, 0.15) of the shorter side (at least 4 px); angle from vertical in [-25, 25) degrees, each streak
 * jittered by N(0, 2 deg); blend strength {@code alpha} in [0.55, 0.9). Each streak (centre uniform over the
 * image, brightness uniform in [0.6, 1)) is splatted bilinearly at half-pixel steps into a mask, which is then
 * smoothed with the 3-tap [1/4, 1/2, 1/4] filter in both directions (streak width) and clipped to [0, 1]. The
 * result is the screen blend {@code out = 1 - (1 - clean)(1 - alpha * mask)}.
 */
public final class RainDegrader implements Degrader {

    @Override
    public Degradation kind() {
        return Degradation.RAIN;
    }

    @Override
    public Degraded apply(RgbImage clean, long seed) {
        RandomStream random = new RandomStream(seed);
        int w = clean.width();
        int h = clean.height();
        double density = random.uniform(0.002, 0.006);
        double length = Math.max(4, random.uniform(0.06, 0.15) * Math.min(w, h));
        double angle = random.uniform(-25, 25);
        double alpha = random.uniform(0.55, 0.9);
        int streaks = (int) Math.round(density * w * h);

        float[] mask = new float[w * h];
        for (int s = 0; s < streaks; s++) {
            double cx = random.uniform(0, w);
            double cy = random.uniform(0, h);
            double theta = Math.toRadians(angle + 2 * random.gaussian());
            double brightness = random.uniform(0.6, 1.0);
            double dx = StrictMath.sin(theta);
            double dy = StrictMath.cos(theta);
            for (double t = -length / 2; t <= length / 2; t += 0.5) {
                splat(mask, w, h, cx + t * dx, cy + t * dy, (float) (0.5 * brightness));
            }
        }
        float[] smooth = Filters.smooth121(mask, w, h);
        float[] out = new float[clean.chw().length];
        int plane = w * h;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                float m = (float) (alpha * Math.min(1f, 2f * smooth[i]));
                float v = clean.chw()[c * plane + i];
                out[c * plane + i] = 1f - (1f - v) * (1f - m);
            }
        }
        DegradationParams params = DegradationParams.builder(Degradation.RAIN, seed)
                .put("source", "synthetic")
                .put("density", density)
                .put("streaks", streaks)
                .put("length", length)
                .put("angle_deg", angle)
                .put("alpha", alpha)
                .build();
        return new Degraded(new RgbImage(w, h, out).quantised8(), params);
    }

    /** Adds {@code v} at sub-pixel position ({@code x}, {@code y}), bilinearly. */
    private static void splat(float[] mask, int w, int h, double x, double y, float v) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        float fx = (float) (x - x0);
        float fy = (float) (y - y0);
        add(mask, w, h, x0, y0, v * (1 - fx) * (1 - fy));
        add(mask, w, h, x0 + 1, y0, v * fx * (1 - fy));
        add(mask, w, h, x0, y0 + 1, v * (1 - fx) * fy);
        add(mask, w, h, x0 + 1, y0 + 1, v * fx * fy);
    }

    private static void add(float[] mask, int w, int h, int x, int y, float v) {
        if (x >= 0 && y >= 0 && x < w && y < h) {
            mask[y * w + x] += v;
        }
    }
}
