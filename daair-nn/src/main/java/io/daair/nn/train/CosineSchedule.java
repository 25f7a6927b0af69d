package io.daair.nn.train;

import io.daair.nn.config.OptimConfig;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The learning rate of {@link OptimConfig#learningRate} as an ND4J schedule over the global iteration,
 * with Jackson properties so that SameDiff's TrainingConfig JSON (checkpoints) round-trips.
 */
public final class CosineSchedule implements ISchedule {

    @JsonProperty("lr")
    private final double lr;

    @JsonProperty("warmupSteps")
    private final int warmupSteps;

    @JsonProperty("totalSteps")
    private final int totalSteps;

    public CosineSchedule(
            @JsonProperty("lr") double lr,
            @JsonProperty("warmupSteps") int warmupSteps,
            @JsonProperty("totalSteps") int totalSteps) {
        this.lr = lr;
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
    }

    public static CosineSchedule of(OptimConfig o) {
        return new CosineSchedule(o.lr(), o.warmupSteps(), o.totalSteps());
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return new OptimConfig(lr, 0.9, 0.999, 1e-8, warmupSteps, totalSteps).learningRate(iteration);
    }

    @Override
    public ISchedule clone() {
        return new CosineSchedule(lr, warmupSteps, totalSteps);
    }
}
