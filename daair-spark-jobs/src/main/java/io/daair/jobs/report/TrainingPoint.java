package io.daair.jobs.report;

import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * One line of a training run's {@code metrics.jsonl}: the figures of one parameter-averaging round. See
 * {@link TrainingLog} for the file format.
 *
 * @param round averaging round, from 1
 * @param step optimizer steps taken when the round ended (the learning-rate schedule's step)
 * @param loss total loss of the round, {@code L1 + lambda * aux_loss}, mean over workers and local steps
 * @param auxLoss router cross-entropy (unweighted), mean over the DaLe routers, workers and local steps
 * @param routerAccuracy fraction of samples whose routers chose the true degradation, in [0, 1]
 * @param samplesPerSec training samples per second over the round, all workers together
 */
public record TrainingPoint(
        @JsonProperty("round") int round,
        @JsonProperty("step") long step,
        @JsonProperty("loss") double loss,
        @JsonProperty("aux_loss") double auxLoss,
        @JsonProperty("router_accuracy") double routerAccuracy,
        @JsonProperty("samples_per_sec") double samplesPerSec) {}
