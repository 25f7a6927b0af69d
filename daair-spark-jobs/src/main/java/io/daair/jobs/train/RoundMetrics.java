package io.daair.jobs.train;

import java.util.Locale;

/**
 * One accepted round, as a line of {@code metrics.jsonl} (the report reads it): round, global
 * step, mean loss and auxiliary loss of the local steps, router accuracy, throughput, the split of
 * the round's wall time into compute (slowest worker) and averaging (broadcast, aggregation,
 * driver), the learning rate at the round's first step, and the samples trained on (workers x
 * local steps x batch: a retried task is counted once).
 */
public record RoundMetrics(
        long round,
        long step,
        double loss,
        double auxLoss,
        double routerAccuracy,
        double samplesPerSec,
        double computeSeconds,
        double averagingSeconds,
        double learningRate,
        int workers,
        long samples) {

    public String toJson() {
        return String.format(
                Locale.ROOT,
                "{\"round\":%d,\"step\":%d,\"loss\":%.6g,\"aux_loss\":%.6g,\"router_accuracy\":%.6g,"
                        + "\"samples_per_sec\":%.6g,\"compute_seconds\":%.6g,\"averaging_seconds\":%.6g,"
                        + "\"learning_rate\":%.6g,\"workers\":%d,\"samples\":%d}",
                round,
                step,
                loss,
                auxLoss,
                routerAccuracy,
                samplesPerSec,
                computeSeconds,
                averagingSeconds,
                learningRate,
                workers,
                samples);
    }
}
