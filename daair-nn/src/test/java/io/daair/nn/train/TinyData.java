package io.daair.nn.train;

import java.util.SplittableRandom;

/** A fixed, seeded minibatch of smooth images with one visibly different degradation per label. */
final class TinyData {

    private TinyData() {}

    static Minibatch minibatch(int batch, int size, int degradations, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int plane = size * size;
        float[] clean = new float[batch * 3 * plane];
        float[] degraded = new float[clean.length];
        int[] labels = new int[batch];
        for (int b = 0; b < batch; b++) {
            labels[b] = b % degradations;
            double fx = 1 + rnd.nextDouble() * 2;
            double fy = 1 + rnd.nextDouble() * 2;
            for (int c = 0; c < 3; c++) {
                double phase = rnd.nextDouble() * 6;
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        int i = (b * 3 + c) * plane + y * size + x;
                        double v = 0.5 + 0.35 * Math.sin(fx * x / size * 6 + phase) * Math.cos(fy * y / size * 6);
                        clean[i] = (float) v;
                        degraded[i] = (float) degrade(labels[b], v, c, x, y, rnd);
                    }
                }
            }
        }
        return new Minibatch(degraded, clean, labels, batch, size, size);
    }

    /**
     * Degradations that differ per channel or per pixel: a LayerNorm over channels would erase a plain
     * scale or offset shared by the three channels.
     */
    private static double degrade(int label, double v, int c, int x, int y, SplittableRandom rnd) {
        return switch (label) {
            case 0 -> v + (rnd.nextDouble() - 0.5) * 0.4; // noise
            case 1 -> (x + 2 * y) % 7 == 0 ? Math.min(1, v + 0.5) : v; // rain streaks
            case 2 -> 0.5 * v + 0.4 + 0.05 * c; // bluish haze
            case 3 -> x % 2 == 0 ? 0.6 * v : v; // column pattern (stand-in for blur)
            default -> (0.15 + 0.1 * c) * v; // low light with a colour cast
        };
    }
}
