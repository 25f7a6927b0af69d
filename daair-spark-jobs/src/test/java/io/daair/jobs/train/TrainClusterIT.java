package io.daair.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.jobs.testing.StandaloneCluster;
import io.daair.nn.config.NetConfig;
import io.daair.nn.config.OptimConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on a real Spark standalone cluster (a master and two workers, separate JVMs on
 * loopback): the loss falls, and losing an executor in the middle of a round changes not one bit.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainClusterIT {
    static final NetConfig NET = NetConfig.preset("tiny", 5);
    static final int WORKERS = 2;
    static final int FREQUENCY = 2;
    static final int BATCH = 4;
    static final int ROUNDS = 8;
    static final double LR = 2e-3;

    @TempDir
    static Path tmp;

    static StandaloneCluster cluster;
    static SparkSession spark;
    static String patches;
    static TrainJob.Result undisturbed;

    @BeforeAll
    static void start() throws Exception {
        cluster = StandaloneCluster.start(tmp.resolve("cluster"), WORKERS, "2g");
        spark = cluster.sessionBuilder("TrainClusterIT")
                .config("spark.executor.memory", "1g")
                .config("spark.executor.memoryOverhead", "1g")
                .config("spark.executor.extraJavaOptions", String.join(" ", StandaloneCluster.jvmFlags()))
                .getOrCreate();
        patches = tmp.resolve("patches").toUri().toString();
        TestPatches.write(spark, patches, 5, 6, 16, 11);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static TrainSpec spec(String run) {
        return new TrainSpec(
                patches,
                run,
                WORKERS,
                BATCH,
                FREQUENCY,
                true,
                1,
                (long) ROUNDS * FREQUENCY,
                100,
                false,
                false,
                "all",
                2,
                0.5,
                3,
                5);
    }

    static TrainJob.Result train(String run) throws Exception {
        OptimConfig optim = new OptimConfig(LR, 0.9, 0.999, 1e-8, 0, 1);
        return new TrainJob(spark, spec(run), NET, optim, new PrintWriter(new StringWriter(), true)).run();
    }

    @Test
    @Order(1)
    void lossFallsOnTheCluster() throws Exception {
        undisturbed = train(tmp.resolve("run-undisturbed").toUri().toString());
        List<RoundMetrics> rounds = undisturbed.rounds();
        assertEquals(ROUNDS, rounds.size());
        double first = rounds.get(0).loss();
        double last = (rounds.get(ROUNDS - 1).loss() + rounds.get(ROUNDS - 2).loss()) / 2;
        assertTrue(last < 0.9 * first, "loss should fall: first round " + first + ", last two " + last);
        for (RoundMetrics m : rounds) {
            assertEquals(WORKERS, m.workers());
            assertEquals((long) WORKERS * FREQUENCY * BATCH, m.samples());
        }
    }

    @Test
    @Order(2)
    void losingAnExecutorMidRoundChangesNothing() throws Exception {
        Path run = tmp.resolve("run-disturbed");
        CompletableFuture<TrainJob.Result> training = CompletableFuture.supplyAsync(() -> {
            try {
                return train(run.toUri().toString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Path metrics = run.resolve("metrics.jsonl");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!(Files.exists(metrics) && Files.readAllLines(metrics).size() >= 2)) {
            assertTrue(System.nanoTime() < deadline, "two rounds did not finish in time");
            Thread.sleep(50);
        }
        long killed = cluster.killOneExecutor(); // round 3 is under way
        TrainJob.Result disturbed = training.get(10, TimeUnit.MINUTES);

        assertTrue(killed > 0);
        assertEquals(ROUNDS, disturbed.rounds().size());
        for (RoundMetrics m : disturbed.rounds()) {
            assertEquals((long) WORKERS * FREQUENCY * BATCH, m.samples(), "round " + m.round() + " counted once");
        }
        // the recomputed task runs in a fresh executor JVM: a seeded run is bit-identical all the same
        assertArrayEquals(undisturbed.state().params(), disturbed.state().params());
        assertArrayEquals(undisturbed.state().adamM(), disturbed.state().adamM());
        assertArrayEquals(undisturbed.state().adamV(), disturbed.state().adamV());
        assertArrayEquals(undisturbed.state().controllers(), disturbed.state().controllers());
        assertArrayEquals(
                Files.readAllBytes(tmp.resolve("run-undisturbed/model.safetensors")),
                Files.readAllBytes(run.resolve("model.safetensors")));
        assertEquals(
                undisturbed.rounds().get(ROUNDS - 1).loss(),
                disturbed.rounds().get(ROUNDS - 1).loss(),
                0.0);
    }
}
