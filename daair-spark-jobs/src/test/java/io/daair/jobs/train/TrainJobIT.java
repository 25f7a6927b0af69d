package io.daair.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        return new TrainSpec(
                patches, run, workers, BATCH, frequency, true, 1, steps, 100, false, "all", 2, 0.5, 3, SEED);
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
        assertEquals(
                uninterrupted.rounds().get(3).loss(), resumed.rounds().get(3).loss(), 0.0);
        assertTrue(fs.exists(run.modelFile()), "model.safetensors written at the end");
        assertEquals(4, run.readMetrics().size());
    }
}
