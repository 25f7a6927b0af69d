package io.daair.jobs.train;

import java.io.Serializable;

/**
 * What the workers of one round send back, summed: parameters, controllers (and Adam's M and V
 * when averaged) element by element, and the training figures. {@link #add} sums two (in shard order, see
 * ShardOrderSum); dividing the sums by {@link #workers} gives the averaged state.
 */
public final class WorkerResult implements Serializable {
    private static final long serialVersionUID = 1L;

    float[] params;
    float[] adamM;
    float[] adamV;
    float[] controllers;
    int workers;
    double lossSum;
    double auxLossSum;
    double routerHits;
    long samples;
    long steps;
    double computeSecondsMax;

    /** The zero of the aggregation (no worker yet). */
    public static WorkerResult empty() {
        return new WorkerResult();
    }

    /** One worker's result: its parameters after the local steps and its figures. */
    public static WorkerResult of(
            float[] params,
            float[] adamM,
            float[] adamV,
            float[] controllers,
            double lossSum,
            double auxLossSum,
            double routerHits,
            long samples,
            long steps,
            double computeSeconds) {
        WorkerResult r = new WorkerResult();
        r.params = params;
        r.adamM = adamM;
        r.adamV = adamV;
        r.controllers = controllers;
        r.workers = 1;
        r.lossSum = lossSum;
        r.auxLossSum = auxLossSum;
        r.routerHits = routerHits;
        r.samples = samples;
        r.steps = steps;
        r.computeSecondsMax = computeSeconds;
        return r;
    }

    /** Sums {@code other} into this one and returns this (Spark allows the first argument to be reused). */
    public WorkerResult add(WorkerResult other) {
        if (other.workers == 0) {
            return this;
        }
        if (workers == 0) {
            return other;
        }
        params = addInPlace(params, other.params);
        adamM = addInPlace(adamM, other.adamM);
        adamV = addInPlace(adamV, other.adamV);
        controllers = addInPlace(controllers, other.controllers);
        workers += other.workers;
        lossSum += other.lossSum;
        auxLossSum += other.auxLossSum;
        routerHits += other.routerHits;
        samples += other.samples;
        steps += other.steps;
        computeSecondsMax = Math.max(computeSecondsMax, other.computeSecondsMax);
        return this;
    }

    private static float[] addInPlace(float[] into, float[] from) {
        if (into == null || from == null) {
            return null;
        }
        if (into.length != from.length) {
            throw new IllegalStateException(
                    "workers disagree on the parameter count: " + into.length + " vs " + from.length);
        }
        for (int i = 0; i < into.length; i++) {
            into[i] += from[i];
        }
        return into;
    }

    /** The mean of the summed arrays: {@code sum / workers}. */
    static float[] mean(float[] sum, int workers) {
        if (sum == null) {
            return null;
        }
        float[] mean = new float[sum.length];
        for (int i = 0; i < sum.length; i++) {
            mean[i] = sum[i] / workers;
        }
        return mean;
    }

    public float[] meanParams() {
        return mean(params, workers);
    }

    public float[] meanAdamM() {
        return mean(adamM, workers);
    }

    public float[] meanAdamV() {
        return mean(adamV, workers);
    }

    public float[] meanControllers() {
        return mean(controllers, workers);
    }

    public int workers() {
        return workers;
    }

    public double meanLoss() {
        return lossSum / Math.max(1, steps);
    }

    public double meanAuxLoss() {
        return auxLossSum / Math.max(1, steps);
    }

    public double routerAccuracy() {
        return routerHits / Math.max(1, samples);
    }

    public long samples() {
        return samples;
    }

    public double computeSecondsMax() {
        return computeSecondsMax;
    }

    /** True when every averaged parameter is finite. */
    public static boolean allFinite(float[] values) {
        if (values == null) {
            return true;
        }
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
