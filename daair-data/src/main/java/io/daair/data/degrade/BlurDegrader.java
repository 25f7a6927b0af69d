package io.daair.data.degrade;

import io.daair.data.image.RgbImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Synthetic camera-shake blur with random motion kernels (a simplified Boracchi and Foi 2012 trajectory), plus
 * an optional defocus disk, for photos without GoPro-style real pairs.
 *
 * <p>Kernel: a 2-D trajectory of 64 steps with total length {@code L} in [5, 17) px; the heading starts uniform
 * in [0, 2 pi) and turns by N(0, (0.15 rad)^2) per step. Positions are splatted bilinearly, centred on their
 * mean, and normalised to sum 1. With defocus on (a constructor flag), half the images also get a uniform disk of
 * radius in [0.5, 1.5) px convolved in. Convolution uses reflect padding and keeps the size.
 */
public final class BlurDegrader implements Degrader {

    private static final int STEPS = 64;

    private final boolean defocus;

    /** Motion blur only. */
    public BlurDegrader() {
        this(false);
    }

    /** Motion blur, and with {@code defocus} a random defocus disk on half the images. */
    public BlurDegrader(boolean defocus) {
        this.defocus = defocus;
    }

    @Override
    public Degradation kind() {
        return Degradation.BLUR;
    }

    @Override
    public Degraded apply(RgbImage clean, long seed) {
        RandomStream random = new RandomStream(seed);
        double length = random.uniform(5, 17);
        double heading = random.uniform(0, 2 * Math.PI);
        Kernel kernel = motionKernel(random, length, heading);
        double radius = 0;
        if (defocus && random.uniform() < 0.5) {
            radius = random.uniform(0.5, 1.5);
            kernel = kernel.convolve(Kernel.disk(radius));
        }
        DegradationParams params = DegradationParams.builder(Degradation.BLUR, seed)
                .put("source", "synthetic")
                .put("length", length)
                .put("heading_rad", heading)
                .put("kernel_size", kernel.size())
                .put("defocus_radius", radius)
                .build();
        return new Degraded(kernel.apply(clean).quantised8(), params);
    }

    static Kernel motionKernel(RandomStream random, double length, double heading) {
        double[] xs = new double[STEPS + 1];
        double[] ys = new double[STEPS + 1];
        double step = length / STEPS;
        double angle = heading;
        for (int i = 1; i <= STEPS; i++) {
            angle += 0.15 * random.gaussian();
            xs[i] = xs[i - 1] + step * StrictMath.cos(angle);
            ys[i] = ys[i - 1] + step * StrictMath.sin(angle);
        }
        double mx = mean(xs);
        double my = mean(ys);
        int half = (int) Math.ceil(length / 2) + 1;
        int size = 2 * half + 1;
        double[] k = new double[size * size];
        for (int i = 0; i <= STEPS; i++) {
            double x = xs[i] - mx + half;
            double y = ys[i] - my + half;
            int x0 = (int) Math.floor(x);
            int y0 = (int) Math.floor(y);
            double fx = x - x0;
            double fy = y - y0;
            k[y0 * size + x0] += (1 - fx) * (1 - fy);
            k[y0 * size + x0 + 1] += fx * (1 - fy);
            k[(y0 + 1) * size + x0] += (1 - fx) * fy;
            k[(y0 + 1) * size + x0 + 1] += fx * fy;
        }
        return new Kernel(size, k).normalised();
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s / v.length;
    }

    /** A square odd-sized kernel, row-major, applied as a correlation about its centre. */
    record Kernel(int size, double[] weights) {

        static Kernel disk(double radius) {
            int half = (int) Math.ceil(radius);
            int size = 2 * half + 1;
            double[] k = new double[size * size];
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double dx = x - half;
                    double dy = y - half;
                    k[y * size + x] = dx * dx + dy * dy <= radius * radius ? 1 : 0;
                }
            }
            return new Kernel(size, k).normalised();
        }

        Kernel normalised() {
            double s = 0;
            for (double v : weights) {
                s += v;
            }
            double[] k = weights.clone();
            for (int i = 0; i < k.length; i++) {
                k[i] /= s;
            }
            return new Kernel(size, k);
        }

        /** Full 2-D convolution of two kernels (size grows to {@code size + other.size - 1}). */
        Kernel convolve(Kernel other) {
            int n = size + other.size - 1;
            double[] k = new double[n * n];
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    for (int v = 0; v < other.size; v++) {
                        for (int u = 0; u < other.size; u++) {
                            k[(y + v) * n + x + u] += weights[y * size + x] * other.weights[v * other.size + u];
                        }
                    }
                }
            }
            return new Kernel(n, k);
        }

        /** Correlates every channel with this kernel, reflect padding; zero taps are skipped. */
        RgbImage apply(RgbImage img) {
            int w = img.width();
            int h = img.height();
            int half = size / 2;
            List<int[]> offsets = new ArrayList<>();
            List<Float> taps = new ArrayList<>();
            for (int i = 0; i < weights.length; i++) {
                if (weights[i] > 1e-7) {
                    offsets.add(new int[] {i % size - half, i / size - half});
                    taps.add((float) weights[i]);
                }
            }
            // reflect-pad each plane once by `half` so the tap loop is plain indexing
            int pw = w + 2 * half;
            int ph = h + 2 * half;
            float[] src = img.chw();
            float[] padded = new float[pw * ph];
            float[] out = new float[src.length];
            for (int c = 0; c < 3; c++) {
                int base = c * w * h;
                for (int y = 0; y < ph; y++) {
                    int row = base + Filters.reflect(y - half, h) * w;
                    for (int x = 0; x < pw; x++) {
                        padded[y * pw + x] = src[row + Filters.reflect(x - half, w)];
                    }
                }
                for (int t = 0; t < taps.size(); t++) {
                    int dx = offsets.get(t)[0];
                    int dy = offsets.get(t)[1];
                    float wt = taps.get(t);
                    for (int y = 0; y < h; y++) {
                        int from = (y + dy + half) * pw + dx + half;
                        int dst = base + y * w;
                        for (int x = 0; x < w; x++) {
                            out[dst + x] += wt * padded[from + x];
                        }
                    }
                }
            }
            return new RgbImage(w, h, out);
        }
    }
}
