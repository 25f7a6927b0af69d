package io.daair.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
                patchSet, run, workers, BATCH, frequency, true, 1, steps, 100, false, "all", 2, 0.5, 3, SEED);
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
                assertEquals(r.loss(), spark.rounds().get(s).loss(), 1e-5, "loss of step " + s);
            }
            TrainState expected = local.state();
            assertEquals(steps, spark.state().iteration());
            Parameters.assertSameComputation(expected.params(), spark.state().params(), 2e-3);

            Parameters.assertSameComputation(
                    expected.controllers(), spark.state().controllers(), 2e-3);
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
        Parameters.assertSameComputation(mean, spark.state().params(), 2e-3);
        assertEquals(frequency, spark.state().iteration());
    }

    @Test
    void resumingFromACheckpointOnHdfsGivesTheUninterruptedResult() throws Exception {
        String runUri = hdfs("/runs/resume");
        TrainSpec spec = new TrainSpec(patches, runUri, 2, BATCH, 1, true, 1, 4, 1, false, "all", 2, 0.5, 3, SEED);
        TrainJob.Result uninterrupted = train(spec);

        // A crash after round 2: the checkpoints of rounds 3 and 4 and the model never got written.
        FileSystem fs = FileSystem.get(hdfs.uri(), hdfs.conf());
        RunDirectory run = new RunDirectory(runUri, hdfs.conf());
        for (String lost : new String[] {"checkpoints/round-000003.ckpt", "checkpoints/round-000004.ckpt"}) {
            assertTrue(fs.delete(new org.apache.hadoop.fs.Path(run.root(), lost), false), lost);
        }
        assertTrue(fs.delete(run.modelFile(), false));
        assertEquals("round-000002.ckpt", run.latestCheckpoint().orElseThrow().getName());

        TrainSpec resume = new TrainSpec(patches, runUri, 2, BATCH, 1, true, 1, 4, 1, true, "all", 2, 0.5, 3, SEED);
        TrainJob.Result resumed = train(resume);
        assertEquals(4, resumed.state().iteration());
        Parameters.assertSameComputation(
                uninterrupted.state().params(), resumed.state().params(), 2e-3);

        assertEquals(4, resumed.rounds().size(), "metrics of rounds 1-2 kept, 3-4 recomputed");
        // equal up to float rounding: two replicas in one JVM (local[2]) do not round identically
        assertEquals(
                uninterrupted.rounds().get(3).loss(), resumed.rounds().get(3).loss(), 1e-6);
        assertTrue(fs.exists(run.modelFile()), "model.safetensors written at the end");
        assertEquals(4, run.readMetrics().size());
    }
    /** Adam moves every weight by about lr per step: at 1e30 the second forward pass overflows to NaN. */
    static final OptimConfig EXPLODING = new OptimConfig(1e30, 0.9, 0.999, 1e-8, 0, 1);

    static TrainSpec nonfinite(String run, long steps, boolean resume, double lrFactor, int retries) {
        return new TrainSpec(patches, run, 1, BATCH, 2, true, 1, steps, 1, resume, "all", 2, lrFactor, retries, SEED);
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
    void aRoundThatStaysNonFiniteStopsTheJobAndKeepsTheLastGoodCheckpoint() throws Exception {
        String runUri = hdfs("/runs/nonfinite-stop");
        train(nonfinite(runUri, 2, false, 0.5, 2)); // one good round at lr 2e-4: round-000001.ckpt
        RunDirectory run = new RunDirectory(runUri, hdfs.conf());
        FileSystem fs = FileSystem.get(hdfs.uri(), hdfs.conf());
        org.apache.hadoop.fs.Path good = run.latestCheckpoint().orElseThrow();
        byte[] before = readAll(fs, good);

        TrainJob resumed = new TrainJob(
                spark, nonfinite(runUri, 4, true, 0.5, 2), NET, EXPLODING, new PrintWriter(new StringWriter(), true));
        IllegalStateException e = assertThrows(IllegalStateException.class, resumed::run);
        assertTrue(e.getMessage().contains("round 2 gave non-finite parameters 3 times"), e.getMessage());
        assertTrue(e.getMessage().contains("Lower daair.optim.lr"), e.getMessage());
        assertEquals(good, run.latestCheckpoint().orElseThrow(), "no checkpoint of the bad round");
        assertArrayEquals(before, readAll(fs, good), "the last good checkpoint is untouched");
    }

    static byte[] readAll(FileSystem fs, org.apache.hadoop.fs.Path file) throws java.io.IOException {
        try (var in = fs.open(file)) {
            return in.readAllBytes();
        }
    }
}
