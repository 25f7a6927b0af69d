package io.daair.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.jobs.cli.ExitCode;
import io.daair.jobs.cli.UserException;
import io.daair.jobs.testing.MiniHdfs;
import io.daair.nn.config.NetConfig;
import io.daair.nn.config.OptimConfig;
import io.daair.nn.train.LocalTrainer;
import io.daair.nn.train.StepResult;
import io.daair.nn.train.TrainState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parameter averaging on Spark local mode against the local trainer, with the patches and the run
 * directories on a real HDFS (MiniDFSCluster), and resuming from a checkpoint there.
 */
class TrainJobIT {
    static final NetConfig NET = NetConfig.preset("tiny", 5);
    static final long SEED = 7;
    static final int BATCH = 2;

    @TempDir
    static Path tmp;

    static MiniHdfs hdfs;
    static SparkSession spark;
    static String patches;

    @BeforeAll
    static void start() throws Exception {
        hdfs = MiniHdfs.start(tmp.resolve("hdfs"));
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("TrainJobIT")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        patches = hdfs("/patches");
        TestPatches.write(spark, patches, 5, 4, 16, SEED);
    }

    @AfterAll
    static void stop() {
        spark.stop();
        hdfs.close();
    }

    static String hdfs(String path) {
        return hdfs.uri().resolve(path).toString();
    }

    static TrainSpec spec(String run, int workers, int frequency, long steps) {
        return spec(patches, run, workers, frequency, steps);
    }

    static TrainSpec spec(String patchSet, String run, int workers, int frequency, long steps) {
        return new TrainSpec(
                patchSet, run, workers, BATCH, frequency, true, 1, steps, 100, false, false, "all", 2, 0.5, 3, SEED);
    }

    static TrainJob.Result train(TrainSpec spec) throws Exception {
        StringWriter console = new StringWriter();
        return new TrainJob(spark, spec, NET, OptimConfig.defaults(1), new PrintWriter(console, true)).run();
    }

    /** The shard contents in the order the workers see them. */
    static List<List<TrainingPatch>> shards(TrainSpec spec) {
        return Shards.stratified(spark, spec).glom().collect();
    }

    static Map<Integer, TrainingPatch> indexed(List<TrainingPatch> shard) {
        Map<Integer, TrainingPatch> map = new HashMap<>();
        for (int i = 0; i < shard.size(); i++) {
            map.put(i, shard.get(i));
        }
        return map;
    }

    @Test
    void theShardsDoNotDependOnWhereThePhotosWerePrepared() {
        // the same patches, prepared from photos in another store: a seeded run must see them alike
        String moved = tmp.resolve("moved-patches").toUri().toString();
        TestPatches.write(spark, moved, 5, 4, 16, SEED, "s3a://other-bucket/photos/");
        List<List<TrainingPatch>> expected = shards(spec(hdfs("/runs/unused"), 2, 1, 1));
        List<List<TrainingPatch>> actual = shards(spec(moved, hdfs("/runs/unused"), 2, 1, 1));
        assertEquals(expected.size(), actual.size());
        for (int w = 0; w < expected.size(); w++) {
            assertEquals(expected.get(w).size(), actual.get(w).size(), "shard " + w + " size");
            for (int i = 0; i < expected.get(w).size(); i++) {
                assertArrayEquals(
                        expected.get(w).get(i).degraded(),
                        actual.get(w).get(i).degraded(),
                        "shard " + w + ", patch " + i);
            }
        }
    }

    @Test
    void oneWorkerAtFrequencyOneEqualsTheLocalTrainerStepForStep() throws Exception {
        long steps = 3;
        TrainSpec spec = spec(hdfs("/runs/one-worker"), 1, 1, steps);
        TrainJob.Result spark = train(spec);

        List<TrainingPatch> shard = shards(spec).get(0);
        ShardSampler sampler = new ShardSampler(SEED, 0, shard.size(), BATCH);
        try (LocalTrainer local = new LocalTrainer(NET, OptimConfig.defaults((int) steps), SEED)) {
            for (int s = 0; s < steps; s++) {
                StepResult r = local.step(Worker.minibatch(sampler.batch(s), indexed(shard)));
                assertEquals(r.loss(), spark.rounds().get(s).loss(), 0.0, "loss of step " + s);
            }
            TrainState expected = local.state();
            assertEquals(steps, spark.state().iteration());
            assertArrayEquals(expected.params(), spark.state().params());
            assertArrayEquals(expected.controllers(), spark.state().controllers());
        }
    }

    @Test
    void twoWorkersAverageTheirIndependentlyComputedParameters() throws Exception {
        int frequency = 2;
        TrainSpec spec = spec(hdfs("/runs/two-workers"), 2, frequency, frequency);
        TrainJob.Result spark = train(spec);

        List<List<TrainingPatch>> shards = shards(spec);
        assertEquals(2, shards.size());
        float[][] workerParams = new float[2][];
        for (int w = 0; w < 2; w++) {
            List<TrainingPatch> shard = shards.get(w);
            assertTrue(shard.stream().map(TrainingPatch::label).distinct().count() == 5, "stratified: every label");
            ShardSampler sampler = new ShardSampler(SEED, w, shard.size(), BATCH);
            try (LocalTrainer local = new LocalTrainer(NET, OptimConfig.defaults(frequency), SEED)) {
                for (int s = 0; s < frequency; s++) {
                    local.step(Worker.minibatch(sampler.batch(s), indexed(shard)));
                }
                workerParams[w] = local.state().params();
            }
        }
        float[] mean = new float[workerParams[0].length];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (workerParams[0][i] + workerParams[1][i]) / 2;
        }
        assertArrayEquals(mean, spark.state().params());
        assertEquals(frequency, spark.state().iteration());
    }

    @Test
    void twoSeededRunsAreBitIdentical() throws Exception {
        TrainJob.Result first = train(spec(hdfs("/runs/seeded-a"), 2, 2, 4));
        TrainJob.Result second = train(spec(hdfs("/runs/seeded-b"), 2, 2, 4));
        assertSameState(first.state(), second.state());
        assertArrayEquals(modelBytes(hdfs("/runs/seeded-a")), modelBytes(hdfs("/runs/seeded-b")), "model.safetensors");
    }

    static void assertSameState(TrainState expected, TrainState actual) {
        assertArrayEquals(expected.params(), actual.params(), "parameters");
        assertArrayEquals(expected.adamM(), actual.adamM(), "Adam M");
        assertArrayEquals(expected.adamV(), actual.adamV(), "Adam V");
        assertArrayEquals(expected.controllers(), actual.controllers(), "controllers");
        assertEquals(expected.iteration(), actual.iteration());
    }

    static byte[] modelBytes(String run) throws java.io.IOException {
        RunDirectory dir = new RunDirectory(run, hdfs.conf());
        return dir.readAll(dir.modelFile());
    }

    @Test
    void resumingFromACheckpointOnHdfsGivesTheUninterruptedResult() throws Exception {
        String runUri = hdfs("/runs/resume");
        TrainSpec spec =
                new TrainSpec(patches, runUri, 2, BATCH, 1, true, 1, 4, 1, false, false, "all", 2, 0.5, 3, SEED);
        TrainJob.Result uninterrupted = train(spec);

        // A crash after round 2: the checkpoints of rounds 3 and 4 and the model never got written.
        FileSystem fs = FileSystem.get(hdfs.uri(), hdfs.conf());
        RunDirectory run = new RunDirectory(runUri, hdfs.conf());
        for (String lost : new String[] {"checkpoints/round-000003.ckpt", "checkpoints/round-000004.ckpt"}) {
            assertTrue(fs.delete(new org.apache.hadoop.fs.Path(run.root(), lost), false), lost);
        }
        byte[] uninterruptedModel = run.readAll(run.modelFile());
        assertTrue(fs.delete(run.modelFile(), false));
        assertEquals("round-000002.ckpt", run.latestCheckpoint().orElseThrow().getName());

        TrainSpec resume =
                new TrainSpec(patches, runUri, 2, BATCH, 1, true, 1, 4, 1, true, false, "all", 2, 0.5, 3, SEED);
        TrainJob.Result resumed = train(resume);
        assertEquals(4, resumed.state().iteration());
        assertSameState(uninterrupted.state(), resumed.state());

        assertEquals(4, resumed.rounds().size(), "metrics of rounds 1-2 kept, 3-4 recomputed");
        assertEquals(
                uninterrupted.rounds().get(3).loss(), resumed.rounds().get(3).loss(), 0.0);
        assertArrayEquals(uninterruptedModel, run.readAll(run.modelFile()), "model.safetensors written at the end");
        assertEquals(4, run.readMetrics().size());
    }

    @Test
    void aRunWithoutExpertsResumesWithItsMetricsIntact() throws Exception {
        NetConfig noExperts = new NetConfig(
                NET.dim(),
                NET.encBlocks(),
                NET.decBlocks(),
                NET.refineBlocks(),
                NET.heads(),
                NET.ffnFactor(),
                NET.rankRatio(),
                NET.kernel(),
                NET.degradations(),
                false,
                false,
                NET.auxLossWeight(),
                NET.emaSigma());
        String runUri = hdfs("/runs/no-experts");
        TrainSpec spec =
                new TrainSpec(patches, runUri, 1, BATCH, 1, true, 1, 3, 1, false, false, "all", 2, 0.5, 3, SEED);
        TrainJob.Result uninterrupted = new TrainJob(
                        spark, spec, noExperts, OptimConfig.defaults(1), new PrintWriter(new StringWriter(), true))
                .run();
        assertTrue(Double.isNaN(uninterrupted.rounds().get(0).routerAccuracy()), "no routers, no router accuracy");

        // a crash after round 2
        FileSystem fs = FileSystem.get(hdfs.uri(), hdfs.conf());
        RunDirectory run = new RunDirectory(runUri, hdfs.conf());
        assertTrue(fs.delete(new org.apache.hadoop.fs.Path(run.root(), "checkpoints/round-000003.ckpt"), false));
        assertTrue(fs.delete(run.modelFile(), false));

        StringWriter console = new StringWriter();
        TrainJob.Result resumed = new TrainJob(
                        spark,
                        withFlags(spec, true, false),
                        noExperts,
                        OptimConfig.defaults(1),
                        new PrintWriter(console, true))
                .run();
        assertTrue(console.toString().contains("resumed from "), console.toString());
        assertEquals(uninterrupted.rounds().subList(0, 2), resumed.rounds().subList(0, 2), "rounds 1-2 read back");
        assertEquals(3, run.readMetrics().size(), "no round dropped from metrics.jsonl");
    }

    /** Adam moves every weight by about lr per step: at 1e30 the second forward pass overflows to NaN. */
    static final OptimConfig EXPLODING = new OptimConfig(1e30, 0.9, 0.999, 1e-8, 0, 1);

    static TrainSpec nonfinite(String run, long steps, boolean resume, double lrFactor, int retries) {
        return new TrainSpec(
                patches, run, 1, BATCH, 2, true, 1, steps, 1, resume, false, "all", 2, lrFactor, retries, SEED);
    }

    @Test
    void aNonFiniteRoundIsRetriedWithTheLowerLearningRate() throws Exception {
        StringWriter console = new StringWriter();
        // 1e30 * 1e-33 = 1e-3: the retry of round 1 trains normally
        TrainSpec spec = nonfinite(hdfs("/runs/nonfinite-retry"), 4, false, 1e-33, 1);
        TrainJob.Result result = new TrainJob(spark, spec, NET, EXPLODING, new PrintWriter(console, true)).run();
        assertTrue(
                console.toString()
                        .contains("round 1 gave non-finite parameters; retrying from the last good state"
                                + " with the learning rate scaled by 1.00e-33"),
                console.toString());
        assertEquals(2, result.rounds().size());
        assertTrue(WorkerResult.allFinite(result.state().params()), "parameters after the retried rounds");
        assertEquals(1e-3, result.rounds().get(0).learningRate(), 1e-4, "learning rate of the accepted round 1");
    }

    @Test
    void aRoundThatStaysNonFiniteStopsTheJobAsBadInputAndSaysWhichCheckpointIsKept() throws Exception {
        String runUri = hdfs("/runs/nonfinite-stop");
        TrainSpec spec = nonfinite(runUri, 4, false, 0.5, 2);
        TrainJob job = new TrainJob(spark, spec, NET, EXPLODING, new PrintWriter(new StringWriter(), true));
        UserException e = assertThrows(UserException.class, job::run);
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("gave non-finite parameters 3 times"), e.getMessage());
        assertTrue(e.getMessage().contains("Lower daair.optim.lr"), e.getMessage());
        RunDirectory run = new RunDirectory(runUri, hdfs.conf());
        var kept = run.latestCheckpoint();
        if (kept.isPresent()) {
            assertTrue(
                    e.getMessage().contains("the last good checkpoint, " + kept.get() + ", is kept"), e.getMessage());
        } else {
            assertTrue(e.getMessage().contains("no checkpoint was written in " + run.root()), e.getMessage());
        }
    }

    @Test
    void aFirstRoundThatStaysNonFiniteSaysNoCheckpointWasWritten() throws Exception {
        String runUri = hdfs("/runs/nonfinite-first");
        TrainJob job = new TrainJob(
                spark, nonfinite(runUri, 2, false, 0.5, 0), NET, EXPLODING, new PrintWriter(new StringWriter(), true));
        UserException e = assertThrows(UserException.class, job::run);
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("no checkpoint was written in"), e.getMessage());
        assertTrue(!e.getMessage().contains("is kept"), e.getMessage());
    }

    static TrainSpec withFlags(TrainSpec s, boolean resume, boolean overwrite) {
        return new TrainSpec(
                s.patches(),
                s.run(),
                s.workers(),
                s.batchSizePerWorker(),
                s.averagingFrequency(),
                s.averageUpdaterState(),
                s.epochs(),
                s.steps(),
                s.checkpointEveryRounds(),
                resume,
                overwrite,
                s.singleTask(),
                s.aggregationDepth(),
                s.nonfiniteLrFactor(),
                s.nonfiniteMaxRetries(),
                s.seed());
    }

    @Test
    void aRunDirectoryThatHoldsARunIsRefusedUnlessResumedOrOverwritten() throws Exception {
        String runUri = hdfs("/runs/occupied");
        TrainSpec spec = spec(runUri, 1, 1, 1);
        train(spec);
        RunDirectory run = new RunDirectory(runUri, hdfs.conf());
        FileSystem fs = FileSystem.get(hdfs.uri(), hdfs.conf());
        org.apache.hadoop.fs.Path checkpoint = run.latestCheckpoint().orElseThrow();
        byte[] before = readAll(fs, checkpoint);
        byte[] metrics = readAll(fs, run.metricsFile());
        org.apache.hadoop.fs.Path notes = new org.apache.hadoop.fs.Path(run.root(), "notes.txt");
        try (var out = fs.create(notes)) {
            out.write(1);
        }

        UserException e = assertThrows(UserException.class, () -> train(spec));
        assertEquals(ExitCode.BAD_STATE, e.exitCode());
        assertTrue(
                e.getMessage()
                        .contains("already holds a run (metrics.jsonl, model.safetensors, run.json, 1"
                                + " checkpoints): continue it with --resume, replace it with --overwrite"),
                e.getMessage());
        assertArrayEquals(before, readAll(fs, checkpoint), "the run's checkpoint untouched");
        assertArrayEquals(metrics, readAll(fs, run.metricsFile()), "its metrics untouched");
        assertTrue(!fs.exists(run.lockFile()), "the refused train released the directory");

        TrainSpec longer = withFlags(spec(runUri, 1, 1, 2), false, true);
        TrainJob.Result replaced = train(longer);
        assertEquals(2, replaced.rounds().size());
        assertEquals(2, run.readMetrics().size());
        assertTrue(fs.exists(notes), "--overwrite deletes only what a run wrote");
        assertEquals(
                RunIdentity.of(longer, NET, OptimConfig.defaults(1)),
                run.readIdentity().orElseThrow());
    }

    @Test
    void aNewRunRefusesAFolderHoldingOtherFiles() throws Exception {
        String runUri = hdfs("/runs/foreign");
        FileSystem fs = FileSystem.get(hdfs.uri(), hdfs.conf());
        org.apache.hadoop.fs.Path notes = new org.apache.hadoop.fs.Path(runUri, "notes.txt");
        try (var out = fs.create(notes)) {
            out.write(7);
        }
        UserException e = assertThrows(UserException.class, () -> train(spec(runUri, 1, 1, 1)));
        assertEquals(ExitCode.BAD_STATE, e.exitCode());
        assertTrue(e.getMessage().contains("is not empty (it holds notes.txt)"), e.getMessage());
        assertArrayEquals(new byte[] {7}, readAll(fs, notes));
        assertTrue(!fs.exists(new RunDirectory(runUri, hdfs.conf()).lockFile()), "the refused train released it");
    }

    @Test
    void resumingWithOtherSettingsIsBadInputNamingTheKeys() throws Exception {
        String runUri = hdfs("/runs/other-settings");
        train(spec(runUri, 1, 1, 1));
        TrainSpec otherWorkers = withFlags(spec(runUri, 2, 1, 1), true, false);
        OptimConfig otherLr = new OptimConfig(5e-4, 0.9, 0.999, 1e-8, 0, 1);
        TrainJob job = new TrainJob(spark, otherWorkers, NET, otherLr, new PrintWriter(new StringWriter(), true));
        UserException e = assertThrows(UserException.class, job::run);
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("daair.optim.lr: 2.0E-4 in the run, 5.0E-4 now"), e.getMessage());
        assertTrue(e.getMessage().contains("daair.train.workers: 1 in the run, 2 now"), e.getMessage());
        assertTrue(!e.getMessage().contains("daair.train.seed"), e.getMessage());
    }

    @Test
    @SuppressWarnings("try") // the claim is held for its scope and never referenced
    void aSecondTrainOnAClaimedRunDirectoryIsRefused() throws Exception {
        String runUri = hdfs("/runs/claimed");
        RunDirectory run = new RunDirectory(runUri, hdfs.conf());
        try (RunDirectory.Claim other = run.claim()) {
            UserException e = assertThrows(UserException.class, () -> train(spec(runUri, 1, 1, 1)));
            assertEquals(ExitCode.BAD_STATE, e.exitCode());
            assertTrue(e.getMessage().contains("is in use by daair train, pid"), e.getMessage());
            assertTrue(run.runFiles().isEmpty(), "the refused train wrote nothing");
        }
    }

    @Test
    void resumingFallsBackFromADamagedCheckpointAndAHalfWrittenMetricsLine() throws Exception {
        String runUri = hdfs("/runs/damaged");
        TrainSpec spec = spec(runUri, 1, 1, 3);
        TrainSpec everyRound =
                new TrainSpec(spec.patches(), runUri, 1, BATCH, 1, true, 1, 3, 1, false, false, "all", 2, 0.5, 3, SEED);
        TrainJob.Result uninterrupted = train(everyRound);
        RunDirectory run = new RunDirectory(runUri, hdfs.conf());
        FileSystem fs = FileSystem.get(hdfs.uri(), hdfs.conf());
        // a crash while round 3 was written: its checkpoint cut short, half a metrics line, no model
        org.apache.hadoop.fs.Path third = run.latestCheckpoint().orElseThrow();
        byte[] full = readAll(fs, third);
        byte[] cut = java.util.Arrays.copyOf(full, full.length / 2);
        try (var out = fs.create(third, true)) {
            out.write(cut);
        }
        List<String> lines = run.readMetrics();
        try (var out = fs.create(run.metricsFile(), true)) {
            out.write((lines.get(0) + "\n" + lines.get(1) + "\n" + lines.get(2).substring(0, 20))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertTrue(fs.delete(run.modelFile(), false));

        StringWriter console = new StringWriter();
        TrainJob.Result resumed = new TrainJob(
                        spark,
                        withFlags(everyRound, true, false),
                        NET,
                        OptimConfig.defaults(1),
                        new PrintWriter(console, true))
                .run();
        assertTrue(console.toString().contains("cannot resume from " + third), console.toString());
        assertTrue(
                console.toString()
                        .contains("resumed from "
                                + new org.apache.hadoop.fs.Path(third.getParent(), "round-000002.ckpt")),
                console.toString());
        assertTrue(console.toString().contains("skipped a damaged line of " + run.metricsFile()), console.toString());
        assertSameState(uninterrupted.state(), resumed.state());
        assertArrayEquals(
                cut,
                readAll(fs, new org.apache.hadoop.fs.Path(third.getParent(), third.getName() + ".damaged")),
                "the damaged checkpoint is kept aside");
        assertEquals(3, run.readMetrics().size());
    }

    static byte[] readAll(FileSystem fs, org.apache.hadoop.fs.Path file) throws java.io.IOException {
        try (var in = fs.open(file)) {
            return in.readAllBytes();
        }
    }
}
