package io.daair.data.degrade;

/** Small image filters shared by the degradations (single-channel planes, row-major). */
final class Filters {

    private Filters() {}

    /** Separable [1/4, 1/2, 1/4] smoothing with edge replication. */
    static float[] smooth121(float[] plane, int w, int h) {
        float[] rows = new float[plane.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int l = Math.max(0, x - 1);
                int r = Math.min(w - 1, x + 1);
                rows[y * w + x] = 0.25f * plane[y * w + l] + 0.5f * plane[y * w + x] + 0.25f * plane[y * w + r];
            }
        }
        float[] out = new float[plane.length];
        for (int y = 0; y < h; y++) {
            int u = Math.max(0, y - 1);
            int d = Math.min(h - 1, y + 1);
            for (int x = 0; x < w; x++) {
                out[y * w + x] = 0.25f * rows[u * w + x] + 0.5f * rows[y * w + x] + 0.25f * rows[d * w + x];
            }
        }
        return out;
    }

    /** Reflect index into [0, n) without repeating the edge sample (NumPy/PyTorch "reflect"). */
    static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }
}
