package io.daair.jobs.train;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.io.Serializable;
import java.util.List;

/**
 * What a training run does, from {@code daair.train} (see reference.conf for each key). Built on
 * the driver; only this validated record, never a Config, travels to executors.
 *
 * @param patches Parquet patches of {@code daair prepare}
 * @param run run directory (checkpoints, metrics.jsonl, model.safetensors)
 * @param workers parameter-averaging workers (shards)
 * @param batchSizePerWorker minibatch of one local step
 * @param averagingFrequency local steps between averagings
 * @param averageUpdaterState average Adam's M and V as well
 * @param epochs passes over the patches (used when {@code steps == 0})
 * @param steps optimizer steps of the whole run (0: from epochs)
 * @param checkpointEveryRounds checkpoint interval in rounds
 * @param resume continue from the latest checkpoint of {@code run}
 * @param overwrite replace the run that {@code run} holds (only the files a run wrote are removed)
 * @param singleTask one degradation name, or {@code all}
 * @param aggregationDepth levels of the tree that sums the workers' results (as treeAggregate's depth)
 * @param nonfiniteLrFactor learning-rate factor of a retried non-finite round
 * @param nonfiniteMaxRetries retries of a non-finite round before the job stops
 * @param seed seed of initialisation and sampling
 */
public record TrainSpec(
        String patches,
        String run,
        int workers,
        int batchSizePerWorker,
        int averagingFrequency,
        boolean averageUpdaterState,
        int epochs,
        long steps,
        int checkpointEveryRounds,
        boolean resume,
        boolean overwrite,
        String singleTask,
        int aggregationDepth,
        double nonfiniteLrFactor,
        int nonfiniteMaxRetries,
        long seed)
        implements Serializable {

    static final List<String> TASKS = List.of("all", "noise", "rain", "haze", "blur", "lowlight");

    /** Reads and validates {@code daair.train}; an error names the key, the value and its origin. */
    public static TrainSpec fromConfig(Config root) {
        Config c = root.getConfig("daair.train");
        TrainSpec spec = new TrainSpec(
                required(c, "patches"),
                required(c, "run"),
                c.getInt("workers"),
                c.getInt("batch-size-per-worker"),
                c.getInt("averaging-frequency"),
                c.getBoolean("average-updater-state"),
                c.getInt("epochs"),
                c.getLong("steps"),
                c.getInt("checkpoint-every-rounds"),
                c.getBoolean("resume"),
                c.getBoolean("overwrite"),
                c.getString("single-task"),
                c.getInt("aggregation-depth"),
                c.getDouble("nonfinite-lr-factor"),
                c.getInt("nonfinite-max-retries"),
                c.getLong("seed"));
        check(c, "workers", spec.workers >= 1, "must be >= 1");
        check(c, "batch-size-per-worker", spec.batchSizePerWorker >= 1, "must be >= 1");
        check(c, "averaging-frequency", spec.averagingFrequency >= 1, "must be >= 1");
        check(c, "epochs", spec.epochs >= 1 || spec.steps > 0, "must be >= 1 (or set steps)");
        check(c, "steps", spec.steps >= 0, "must be >= 0 (0 = from epochs)");
        check(
                c,
                "batch-size-per-worker",
                (long) spec.workers * spec.batchSizePerWorker <= Integer.MAX_VALUE,
                "times workers = " + spec.workers + " must be at most " + Integer.MAX_VALUE
                        + " patches a step (lower the batch size or the workers)");
        check(
                c,
                "steps",
                spec.steps <= Integer.MAX_VALUE,
                "must be at most " + Integer.MAX_VALUE + " (the learning-rate schedule counts steps in an int)");
        check(c, "checkpoint-every-rounds", spec.checkpointEveryRounds >= 1, "must be >= 1");
        check(c, "overwrite", !(spec.resume && spec.overwrite), "cannot be combined with resume (continue or replace)");
        check(c, "single-task", TASKS.contains(spec.singleTask), "must be one of " + TASKS);
        check(c, "aggregation-depth", spec.aggregationDepth >= 1, "must be >= 1");
        check(c, "nonfinite-lr-factor", spec.nonfiniteLrFactor > 0 && spec.nonfiniteLrFactor < 1, "must be in (0, 1)");
        check(c, "nonfinite-max-retries", spec.nonfiniteMaxRetries >= 0, "must be >= 0");
        return spec;
    }

    private static String required(Config c, String key) {
        if (!c.hasPath(key) || c.getString(key).isBlank()) {
            throw new ConfigException.Missing(
                    c.origin(),
                    "daair.train." + key + " (give it with --" + key + " or --set daair.train." + key + "=URI)");
        }
        return c.getString(key);
    }

    private static void check(Config c, String key, boolean ok, String requirement) {
        if (!ok) {
            throw new ConfigException.BadValue(
                    c.getValue(key).origin(),
                    "daair.train." + key,
                    requirement + ", got " + c.getValue(key).render());
        }
    }
}
