package io.daair.nn.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

/**
 * Adam with a cosine learning-rate decay to 0 and an optional linear warm-up (docs/architecture.md,
 * "Losses and optimiser").
 *
 * @param lr peak learning rate (2e-4)
 * @param beta1 Adam beta1 (0.9)
 * @param beta2 Adam beta2 (0.999)
 * @param eps Adam epsilon (1e-8)
 * @param warmupSteps linear warm-up iterations (0 = none)
 * @param totalSteps iterations of the whole run; the rate reaches 0 there
 */
public record OptimConfig(double lr, double beta1, double beta2, double eps, int warmupSteps, int totalSteps)
        implements java.io.Serializable {

    /** Validates every field; messages name the field and its value. */
    public OptimConfig {
        require(Double.isFinite(lr) && lr > 0, "lr must be > 0, got " + lr);
        require(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got " + beta1);
        require(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got " + beta2);
        require(Double.isFinite(eps) && eps > 0, "eps must be > 0, got " + eps);
        require(totalSteps >= 1, "totalSteps must be >= 1, got " + totalSteps);
        require(
                warmupSteps >= 0 && warmupSteps < totalSteps,
                "warmupSteps must be in [0, totalSteps = " + totalSteps + "), got " + warmupSteps);
    }

    /** The spec's defaults (lr 2e-4, betas 0.9/0.999, eps 1e-8, no warm-up) over {@code totalSteps}. */
    public static OptimConfig defaults(int totalSteps) {
        return new OptimConfig(2e-4, 0.9, 0.999, 1e-8, 0, totalSteps);
    }

    /** The same optimiser over another run length (the train job knows it only after counting data). */
    public OptimConfig withTotalSteps(int steps) {
        return new OptimConfig(lr, beta1, beta2, eps, Math.min(warmupSteps, Math.max(0, steps - 1)), steps);
    }

    /**
     * The learning rate at a 0-based iteration: linear warm-up {@code lr * (it + 1) / warmup}, then
     * {@code lr * 0.5 * (1 + cos(pi * (it - warmup) / (total - warmup)))}, 0 from {@code totalSteps} on.
     */
    public double learningRate(long iteration) {
        if (iteration < warmupSteps) {
            return lr * (iteration + 1) / warmupSteps;
        }
        if (iteration >= totalSteps) {
            return 0.0;
        }
        double progress = (double) (iteration - warmupSteps) / (totalSteps - warmupSteps);
        return lr * 0.5 * (1 + Math.cos(Math.PI * progress));
    }

    /** Reads {@code daair.optim}; errors name the key and its origin. */
    public static OptimConfig fromConfig(Config root) {
        Config c = root.getConfig("daair.optim");
        try {
            return new OptimConfig(
                    c.getDouble("lr"),
                    c.getDouble("beta1"),
                    c.getDouble("beta2"),
                    c.getDouble("eps"),
                    c.getInt("warmup-steps"),
                    c.getInt("total-steps"));
        } catch (BadNetInputException ex) {
            String field = ex.getMessage().split(" ", 2)[0];
            String key =
                    switch (field) {
                        case "warmupSteps" -> "warmup-steps";
                        case "totalSteps" -> "total-steps";
                        default -> field;
                    };
            throw new ConfigException.BadValue(c.getValue(key).origin(), "daair.optim." + key, ex.getMessage());
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new BadNetInputException(message);
        }
    }
}
