package io.daair.data.degrade;

import java.util.SplittableRandom;

/**
 * The random numbers of every degradation: a {@link SplittableRandom} and standard normals by the Box-Muller
 * transform computed with {@link StrictMath}, so a seed gives bit-identical values on every JVM and CPU.
 *
 * <p>Normals: {@code u1 = 1 - nextDouble()} (in (0, 1]), {@code u2 = nextDouble()}, {@code r = sqrt(-2 ln u1)};
 * the pair {@code r cos(2 pi u2)}, {@code r sin(2 pi u2)} is returned in that order. Not thread-safe: one stream
 * per image.
 */
public final class RandomStream {

    private final SplittableRandom random;
    private double spare;
    private boolean hasSpare;

    public RandomStream(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Uniform in [0, 1). */
    public double uniform() {
        return random.nextDouble();
    }

    /** Uniform in [lo, hi). */
    public double uniform(double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** A standard normal N(0, 1) by Box-Muller. */
    public double gaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
        double a = 2.0 * StrictMath.PI * u2;
        spare = r * StrictMath.sin(a);
        hasSpare = true;
        return r * StrictMath.cos(a);
    }

    /**
     * A Poisson draw with mean {@code lambda}: Knuth's product-of-uniforms method below 30, above it the normal
     * approximation {@code max(0, round(lambda + sqrt(lambda) z))}.
     */
    public int poisson(double lambda) {
        return poisson(lambda, StrictMath.exp(-lambda));
    }

    /** {@link #poisson(double)} with {@code expMinusLambda = StrictMath.exp(-lambda)} precomputed by the caller. */
    public int poisson(double lambda, double expMinusLambda) {
        if (lambda <= 0) {
            return 0;
        }
        if (lambda >= 30) {
            return (int) Math.max(0, Math.round(lambda + StrictMath.sqrt(lambda) * gaussian()));
        }
        double limit = expMinusLambda;
        double p = 1.0;
        int k = -1;
        do {
            k++;
            p *= random.nextDouble();
        } while (p > limit);
        return k;
    }
}
