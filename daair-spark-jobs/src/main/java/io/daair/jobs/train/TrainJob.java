package io.daair.jobs.train;

import io.daair.nn.config.NetConfig;
import io.daair.nn.config.OptimConfig;
import io.daair.nn.train.LocalTrainer;
import io.daair.nn.train.TrainState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Trains DaAIR with parameter averaging on Spark (after dl4j-spark's
 * ParameterAveragingTrainingMaster, which cannot train SameDiff graphs). Each round the driver
 * broadcasts the parameters, Adam's state and the global step; every worker runs
 * {@code averagingFrequency} local steps on its shard; treeAggregate sums the results and the
 * driver averages them. Checkpoints and metrics go to the run directory.
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

    public Result run() throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        jsc.setJobGroup("daair-train", "daair train: parameter averaging over " + spec.workers() + " workers", false);
        RunDirectory run = new RunDirectory(spec.run(), jsc.hadoopConfiguration());

        JavaRDD<TrainingPatch> shards = Shards.stratified(spark, spec);
        shards.persist(StorageLevel.MEMORY_AND_DISK());
        int[] shardSizes = Shards.sizes(shards, spec.workers());
        long patches = 0;
        for (int size : shardSizes) {
            patches += size;
        }
        long stepsPerEpoch = Math.max(1, ceilDiv(patches, (long) spec.workers() * spec.batchSizePerWorker()));
        long totalSteps = spec.steps() > 0 ? spec.steps() : spec.epochs() * stepsPerEpoch;
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
        Optional<Path> latest = spec.resume() ? run.latestCheckpoint() : Optional.empty();
        try (LocalTrainer driver = new LocalTrainer(net, optim, spec.seed())) {
            if (latest.isPresent()) {
                Checkpoint cp = readCheckpoint(run, latest.get());
                state = cp.state();
                round = cp.round();
                lrScale = cp.lrScale();
                for (String line : run.readMetrics()) {
                    RoundMetrics m = RoundMetricsJson.parse(line);
                    if (m.round() <= round) {
                        history.add(m);
                    }
                }
                console.printf("train: resumed from %s (round %d, step %d)%n", latest.get(), round, state.iteration());
            } else {
                if (spec.resume()) {
                    console.println("train: --resume given but " + run.root() + " has no checkpoint; starting afresh");
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
                        throw new IllegalStateException(String.format(
                                Locale.ROOT,
                                "round %d gave non-finite parameters %d times (learning rate scaled down to %.3g);"
                                        + " the last good checkpoint in %s is kept. Lower daair.optim.lr or check the"
                                        + " patches for corrupt images.",
                                round + 1,
                                attempt + 1,
                                lrScale,
                                run.root()));
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
                    writeCheckpoint(run, driver, state, round, lrScale);
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
        WorkerResult sum = shards.mapPartitionsWithIndex(
                        (index, rows) -> Worker.run(broadcast.value(), index, rows), true)
                .treeAggregate(WorkerResult.empty(), WorkerResult::add, WorkerResult::add, spec.aggregationDepth());
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

    private void writeCheckpoint(RunDirectory run, LocalTrainer driver, TrainState state, long round, double lrScale)
            throws IOException {
        driver.setState(state);
        ByteArrayOutputStream trainer = new ByteArrayOutputStream();
        driver.writeCheckpoint(trainer);
        String meta = String.format(
                Locale.ROOT, "{\"round\":%d,\"step\":%d,\"lr_scale\":%s}", round, state.iteration(), lrScale);
        Path written = run.writeCheckpoint(round, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.putNextEntry(new ZipEntry("run.json"));
            zip.write(meta.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("trainer.bin"));
            trainer.writeTo(zip);
            zip.closeEntry();
            zip.finish();
        });
        console.println("train: checkpoint " + written);
    }

    private static Checkpoint readCheckpoint(RunDirectory run, Path path) throws IOException {
        byte[] trainer = null;
        String meta = null;
        try (InputStream raw = run.open(path);
                ZipInputStream zip = new ZipInputStream(raw)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals("trainer.bin")) {
                    trainer = zip.readAllBytes();
                } else if (e.getName().equals("run.json")) {
                    meta = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        if (trainer == null || meta == null) {
            throw new IOException("checkpoint " + path + " is incomplete (no trainer.bin or run.json): delete it to"
                    + " resume from the one before");
        }
        try (LocalTrainer t = LocalTrainer.readCheckpoint(new ByteArrayInputStream(trainer))) {
            return new Checkpoint(
                    t.state(),
                    RoundMetricsJson.longField(meta, "round"),
                    RoundMetricsJson.doubleField(meta, "lr_scale"));
        }
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
