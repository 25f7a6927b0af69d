package io.daair.data.degrade;

/** The synthetic generator for each degradation. */
public final class Degraders {

    /** The default noise level when none is given: the middle benchmark level. */
    public static final double DEFAULT_SIGMA = 25;

    private Degraders() {}

    /** The generator for {@code kind}; {@code sigma} (0..255 scale) is used for noise only. */
    public static Degrader synthetic(Degradation kind, double sigma) {
        return switch (kind) {
            case NOISE -> new NoiseDegrader(sigma);
            case RAIN -> new RainDegrader();
            case HAZE -> new HazeDegrader();
            case BLUR -> new BlurDegrader(true);
            case LOW_LIGHT -> new LowLightDegrader();
        };
    }

    /** The generator for {@code kind}, noise at {@link #DEFAULT_SIGMA}. */
    public static Degrader synthetic(Degradation kind) {
        return synthetic(kind, DEFAULT_SIGMA);
    }
}
