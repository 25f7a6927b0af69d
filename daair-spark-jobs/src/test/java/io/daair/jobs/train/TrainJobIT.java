package io.daair.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The arithmetic of parameter averaging on Spark local mode, against the local trainer. */
class TrainJobIT {
    static final NetConfig NET = NetConfig.preset("tiny", 5);
    static final long SEED = 7;
    static final int BATCH = 2;

    @TempDir
    static Path tmp;

    static SparkSession spark;
    static String patches;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("TrainJobIT")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        patches = tmp.resolve("patches").toUri().toString();
        TestPatches.write(spark, patches, 5, 4, 16, SEED);
    }

    @AfterAll
    static void stop() {
        spark.stop();
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
        TrainSpec spec = spec(tmp.resolve("run-1w").toUri().toString(), 1, 1, steps);
        TrainJob.Result spark = train(spec);

        List<TrainingPatch> shard = shards(spec).get(0);
        ShardSampler sampler = new ShardSampler(SEED, 0, shard.size(), BATCH);
        try (LocalTrainer local = new LocalTrainer(NET, OptimConfig.defaults((int) steps), SEED)) {
            for (int s = 0; s < steps; s++) {
                StepResult r = local.step(Worker.minibatch(sampler.batch(s), indexed(shard)));
                assertEquals(r.loss(), spark.rounds().get(s).loss(), 1e-6, "loss of step " + s);
            }
            TrainState expected = local.state();
            assertEquals(steps, spark.state().iteration());
            assertArrayEquals(expected.params(), spark.state().params(), 1e-6f);
            assertArrayEquals(expected.adamM(), spark.state().adamM(), 1e-7f);
            assertArrayEquals(expected.controllers(), spark.state().controllers(), 1e-6f);
        }
    }

    @Test
    void twoWorkersAverageTheirIndependentlyComputedParameters() throws Exception {
        int frequency = 2;
        TrainSpec spec = spec(tmp.resolve("run-2w").toUri().toString(), 2, frequency, frequency);
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
        assertArrayEquals(mean, spark.state().params(), 1e-6f);
        assertEquals(frequency, spark.state().iteration());
    }
}
