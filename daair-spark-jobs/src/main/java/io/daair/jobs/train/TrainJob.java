package io.daair.jobs.train;

import io.daair.jobs.cli.UserException;
import io.daair.nn.config.NetConfig;
import io.daair.nn.config.OptimConfig;
import io.daair.nn.train.LocalTrainer;
import io.daair.nn.train.TrainState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.shade.jackson.core.JsonProcessingException;

/**
 * Trains DaAIR with parameter averaging on Spark (after dl4j-spark's
 * ParameterAveragingTrainingMaster, which cannot train SameDiff graphs). Each round the driver
 * broadcasts the parameters, Adam's state and the global step; every worker runs
 * {@code averagingFrequency} local steps on its shard; the results are summed in shard order
 * ({@link ShardOrderSum}) and the driver averages them. Checkpoints and metrics go to the run directory.
 */
public final class TrainJob {
    private final SparkSession spark;
    private final TrainSpec spec;
    private final NetConfig net;
    private final OptimConfig baseOptim;
    private final PrintWriter console;

    public TrainJob(SparkSession spark, TrainSpec spec, NetConfig net, OptimConfig optim, PrintWriter console) {
        this.spark = spark;
        this.spec = spec;
        this.net = net;
        this.baseOptim = optim;
        this.console = console;
    }

    /** The outcome: final state, figures of every round, where the model was written. */
    public record Result(TrainState state, List<RoundMetrics> rounds, String model, long totalSteps) {}

    @SuppressWarnings("try") // the claim is held for its scope and never referenced
    public Result run() throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        jsc.setJobGroup("daair-train", "daair train: parameter averaging over " + spec.workers() + " workers", false);
        RunDirectory run = new RunDirectory(spec.run(), jsc.hadoopConfiguration());
        try (RunDirectory.Claim claim = run.claim()) {
            startOrContinue(run);
            return train(jsc, run);
        }
    }

    /**
     * Refuses a run directory that holds a run unless resuming (with the settings it was started with)
     * or overwriting it, and a new run in a folder holding anything else unless overwriting (which deletes
     * only a run's files); records this run's identity in run.json.
     */
    private void startOrContinue(RunDirectory run) throws IOException {
        RunIdentity identity = RunIdentity.of(spec, net, baseOptim);
        List<Path> earlier = run.runFiles();
        if (spec.overwrite() && !earlier.isEmpty()) {
            console.printf(
                    "train: --overwrite: deleted %d files of the earlier run in %s%n",
                    run.deleteRunFiles(), run.root());
        } else if (spec.resume()) {
            Optional<RunIdentity> recorded = run.readIdentity();
            if (recorded.isPresent()) {
                List<String> differences = identity.differencesFrom(recorded.get());
                if (!differences.isEmpty()) {
                    throw UserException.badInput("cannot resume " + run.root() + ": it was started with other"
                            + " settings (" + run.identityFile() + "): " + String.join("; ", differences)
                            + ". Resume with the settings it was started with, or start a new run (another --run,"
                            + " or --overwrite to replace this one).");
                }
                return;
            }
            if (!earlier.isEmpty()) {
                console.println("train: " + run.identityFile()
                        + " is missing (a run started before run.json existed): its" + " settings cannot be checked");
            }
        } else if (!earlier.isEmpty()) {
            throw UserException.badState("run directory " + run.root() + " already holds a run (" + describe(earlier)
                    + "): continue it with --resume, replace it with --overwrite, or give another --run");
        } else if (!spec.overwrite() && !run.otherEntries().isEmpty()) {
            throw UserException.badState("run directory " + run.root() + " is not empty (it holds "
                    + String.join(", ", run.otherEntries()) + "): a new run needs a new or empty folder; give"
                    + " another --run, or --overwrite to start here anyway (nothing of yours is deleted)");
        }
        run.writeIdentity(identity);
    }

    private static String describe(List<Path> files) {
        long checkpoints =
                files.stream().filter(f -> f.getName().endsWith(".ckpt")).count();
        List<String> names = files.stream()
                .map(Path::getName)
                .filter(n -> !n.endsWith(".ckpt"))
                .sorted()
                .toList();
        return String.join(", ", names)
                + (checkpoints > 0 ? (names.isEmpty() ? "" : ", ") + checkpoints + " checkpoints" : "");
    }

    private Result train(JavaSparkContext jsc, RunDirectory run) throws IOException {
        JavaRDD<TrainingPatch> shards = Shards.stratified(spark, spec);
        shards.persist(StorageLevel.MEMORY_AND_DISK());
        int[] shardSizes = Shards.sizes(shards, spec.workers());
        long patches = 0;
        for (int size : shardSizes) {
            patches += size;
        }
        long totalSteps = totalSteps(spec, patches);
        checkMinibatchFits(spec, shards.first());
        long totalRounds = ceilDiv(totalSteps, spec.averagingFrequency());
        OptimConfig optim = baseOptim.withTotalSteps(Math.toIntExact(totalSteps));
        console.printf(
                Locale.ROOT,
                "train: %d patches in %d shards %s, %d steps (%d rounds of %d local steps, batch %d per worker)%n",
                patches,
                spec.workers(),
                java.util.Arrays.toString(shardSizes),
                totalSteps,
                totalRounds,
                spec.averagingFrequency(),
                spec.batchSizePerWorker());

        List<RoundMetrics> history = new ArrayList<>();
        TrainState state;
        long round;
        double lrScale = 1.0;
        Optional<Resumed> resumed = spec.resume() ? latestValidCheckpoint(run) : Optional.empty();
        Path lastCheckpoint = null;
        try (LocalTrainer driver = new LocalTrainer(net, optim, spec.seed())) {
            if (resumed.isPresent()) {
                Checkpoint cp = resumed.get().checkpoint();
                lastCheckpoint = resumed.get().path();
                state = cp.state();
                round = cp.round();
                lrScale = cp.lrScale();
                history.addAll(metricsUpTo(run, round));
                console.printf(
                        "train: resumed from %s (round %d, step %d)%n", lastCheckpoint, round, state.iteration());
            } else {
                if (spec.resume()) {
                    console.println("train: --resume given but " + run.root() + " has no valid checkpoint; starting"
                            + " afresh");
                }
                state = driver.state();
                round = 0;
            }

            long roundsThisRun = 0;
            while (round < totalRounds) {
                int localSteps = (int) Math.min(spec.averagingFrequency(), totalSteps - state.iteration());
                RoundOutcome outcome = null;
                for (int attempt = 0; ; attempt++) {
                    OptimConfig scaled = scaled(optim, lrScale);
                    outcome = runRound(jsc, shards, scaled, state, localSteps, shardSizes);
                    if (outcome.finite()) {
                        break;
                    }
                    if (attempt >= spec.nonfiniteMaxRetries()) {
                        throw UserException.badInput(String.format(
                                Locale.ROOT,
                                "round %d gave non-finite parameters %d times (the learning rate scaled down to"
                                        + " %.3g of daair.optim.lr = %.3g); %s. Lower daair.optim.lr and train"
                                        + " again, or check the patches for corrupt images.",
                                round + 1,
                                attempt + 1,
                                lrScale,
                                baseOptim.lr(),
                                lastCheckpoint == null
                                        ? "no checkpoint was written in " + run.root()
                                        : "the last good checkpoint, " + lastCheckpoint + ", is kept"));
                    }
                    lrScale *= spec.nonfiniteLrFactor();
                    console.printf(
                            Locale.ROOT,
                            "train: round %d gave non-finite parameters; retrying from the last good state with"
                                    + " the learning rate scaled by %.3g%n",
                            round + 1,
                            lrScale);
                }
                state = outcome.state();
                round++;
                roundsThisRun++;
                RoundMetrics m = outcome.metrics(round, scaled(optim, lrScale), state.iteration() - localSteps);
                history.add(m);
                run.writeMetrics(history.stream().map(RoundMetrics::toJson).toList());
                printProgress(m, totalRounds, roundsThisRun);
                if (round % spec.checkpointEveryRounds() == 0 || round == totalRounds) {
                    lastCheckpoint = writeCheckpoint(run, driver, state, round, lrScale);
                }
            }
            driver.setState(state);
            String model = ModelExport.writeSafetensors(driver, run);
            console.println("train: model written to " + model);
            shards.unpersist(false);
            return new Result(state, history, model, totalSteps);
        }
    }

    private RoundOutcome runRound(
            JavaSparkContext jsc,
            JavaRDD<TrainingPatch> shards,
            OptimConfig optim,
            TrainState state,
            int localSteps,
            int[] shardSizes) {
        long t0 = System.nanoTime();
        TrainState sent = spec.averageUpdaterState() ? state : withFreshUpdater(state);
        RoundInput input = new RoundInput(
                net,
                optim,
                sent,
                localSteps,
                spec.batchSizePerWorker(),
                spec.seed(),
                shardSizes,
                spec.averageUpdaterState());
        Broadcast<RoundInput> broadcast = jsc.broadcast(input);
        JavaPairRDD<Integer, WorkerResult> results = shards.mapPartitionsWithIndex(
                        (index, rows) -> Worker.run(broadcast.value(), index, rows), true)
                .mapToPair(r -> r);
        WorkerResult sum = ShardOrderSum.of(results, spec.workers(), spec.aggregationDepth());
        broadcast.destroy();
        float[] params = sum.meanParams();
        float[] controllers = sum.meanControllers();
        boolean finite = WorkerResult.allFinite(params) && WorkerResult.allFinite(controllers);
        float[] m = spec.averageUpdaterState() ? sum.meanAdamM() : sent.adamM();
        float[] v = spec.averageUpdaterState() ? sum.meanAdamV() : sent.adamV();
        TrainState next = new TrainState(params, m, v, controllers, state.iteration() + localSteps);
        return new RoundOutcome(next, finite, sum, (System.nanoTime() - t0) / 1e9);
    }

    /** Adam starts afresh each round when its state is not averaged (dl4j-spark's saveUpdater=false). */
    private static TrainState withFreshUpdater(TrainState s) {
        int n = s.params().length;
        return new TrainState(s.params(), new float[n], new float[n], s.controllers(), s.iteration());
    }

    private record RoundOutcome(TrainState state, boolean finite, WorkerResult sum, double seconds) {
        RoundMetrics metrics(long round, OptimConfig optim, long firstStep) {
            double compute = sum.computeSecondsMax();
            return new RoundMetrics(
                    round,
                    state.iteration(),
                    sum.meanLoss(),
                    sum.meanAuxLoss(),
                    sum.routerAccuracy(),
                    sum.samples() / seconds,
                    compute,
                    Math.max(0, seconds - compute),
                    optim.learningRate(firstStep),
                    sum.workers(),
                    sum.samples());
        }
    }

    private void printProgress(RoundMetrics m, long totalRounds, long roundsThisRun) {
        console.printf(
                Locale.ROOT,
                "round %d/%d  step %d  loss %.4f  aux %.4f  router acc %.1f%%  %.1f samples/s"
                        + "  compute %.1fs averaging %.1fs  ETA %s%n",
                m.round(),
                totalRounds,
                m.step(),
                m.loss(),
                m.auxLoss(),
                100 * m.routerAccuracy(),
                m.samplesPerSec(),
                m.computeSeconds(),
                m.averagingSeconds(),
                Eta.text(roundsThisRun, m.computeSeconds() + m.averagingSeconds(), totalRounds - m.round()));
    }

    public static String formatDuration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60) : String.format("%dm%02ds", s / 60, s % 60);
    }

    private static OptimConfig scaled(OptimConfig optim, double lrScale) {
        return lrScale == 1.0
                ? optim
                : new OptimConfig(
                        optim.lr() * lrScale,
                        optim.beta1(),
                        optim.beta2(),
                        optim.eps(),
                        optim.warmupSteps(),
                        optim.totalSteps());
    }

    private record Checkpoint(TrainState state, long round, double lrScale) {}

    private record Resumed(Path path, Checkpoint checkpoint) {}

    /** Writes a checkpoint, then reads it back and verifies it. */
    private Path writeCheckpoint(RunDirectory run, LocalTrainer driver, TrainState state, long round, double lrScale)
            throws IOException {
        driver.setState(state);
        ByteArrayOutputStream trainer = new ByteArrayOutputStream();
        driver.writeCheckpoint(trainer);
        byte[] bytes = new CheckpointFile(round, state.iteration(), lrScale, trainer.toByteArray()).toBytes();
        Path written = run.writeCheckpoint(round, out -> out.write(bytes));
        if (!java.util.Arrays.equals(bytes, run.readAll(written))) {
            throw new IOException("checkpoint " + written + " does not read back as written: check the file system");
        }
        console.println("train: checkpoint " + written);
        return written;
    }

    /**
     * The newest checkpoint that reads and verifies. A damaged one is renamed {@code .damaged} (kept, never
     * deleted) and the one before is tried.
     */
    private Optional<Resumed> latestValidCheckpoint(RunDirectory run) throws IOException {
        for (Path path : run.checkpointsNewestFirst()) {
            try {
                return Optional.of(new Resumed(path, readCheckpoint(run, path)));
            } catch (IOException | RuntimeException e) {
                Path aside = run.setAside(path);
                console.println("train: cannot resume from " + path + " (" + e.getMessage() + "); it is kept as "
                        + aside + ", falling back to the checkpoint before it");
            }
        }
        return Optional.empty();
    }

    private static Checkpoint readCheckpoint(RunDirectory run, Path path) throws IOException {
        CheckpointFile file = CheckpointFile.read(run.readAll(path), path.toString());
        try (LocalTrainer t = LocalTrainer.readCheckpoint(new ByteArrayInputStream(file.trainer()))) {
            return new Checkpoint(t.state(), file.round(), file.lrScale());
        }
    }

    /** The metrics of rounds up to {@code round}; a damaged line (say, half written) is skipped and reported. */
    private List<RoundMetrics> metricsUpTo(RunDirectory run, long round) throws IOException {
        List<RoundMetrics> kept = new ArrayList<>();
        for (String line : run.readMetrics()) {
            RoundMetrics m;
            try {
                m = RoundMetrics.fromJson(line);
            } catch (JsonProcessingException e) {
                console.println("train: skipped a damaged line of " + run.metricsFile() + ": "
                        + (line.length() > 60 ? line.substring(0, 60) + "..." : line));
                continue;
            }
            if (m.round() <= round) {
                kept.add(m);
            }
        }
        return kept;
    }

    /** The run's steps: {@code steps}, or {@code epochs} passes over {@code patches}; at most an int. */
    static long totalSteps(TrainSpec spec, long patches) {
        if (spec.steps() > 0) {
            return spec.steps();
        }
        long stepsPerEpoch = Math.max(1, ceilDiv(patches, (long) spec.workers() * spec.batchSizePerWorker()));
        if (spec.epochs() > Integer.MAX_VALUE / stepsPerEpoch) {
            throw UserException.badInput(String.format(
                    Locale.ROOT,
                    "daair.train.epochs = %d makes %d x %d steps of %d patches, more than %d: lower the epochs",
                    spec.epochs(),
                    spec.epochs(),
                    stepsPerEpoch,
                    patches,
                    Integer.MAX_VALUE));
        }
        return spec.epochs() * stepsPerEpoch;
    }

    /** A worker's minibatch of {@code patch}'s size must fit one Java array of floats. */
    static void checkMinibatchFits(TrainSpec spec, TrainingPatch patch) {
        long floats = (long) spec.batchSizePerWorker() * 3 * patch.height() * patch.width();
        if (floats > Integer.MAX_VALUE - 8) {
            throw UserException.badInput(String.format(
                    Locale.ROOT,
                    "daair.train.batch-size-per-worker = %d of %dx%d patches needs %d floats per minibatch, more"
                            + " than one array holds: lower the batch size",
                    spec.batchSizePerWorker(),
                    patch.height(),
                    patch.width(),
                    floats));
        }
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
