package io.daair.jobs.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

/**
 * {@link StandaloneCluster}: a driver in this JVM runs jobs on two worker JVMs, with our code from the application
 * jars, and a job survives the loss of an executor JVM in its middle.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {
    @TempDir
    static Path tmp;

    static StandaloneCluster cluster;
    static SparkSession spark;
    static JavaSparkContext jsc;

    @BeforeAll
    static void start() throws IOException {
        cluster = StandaloneCluster.start(tmp.resolve("cluster"));
        System.out.println(cluster + " started in " + cluster.startup().toMillis() + " ms");
        long t0 = System.nanoTime();
        spark = cluster.sessionBuilder("StandaloneClusterIT").getOrCreate();
        jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        System.out.println("session up in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
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

    @Test
    @Order(1)
    void tasksRunOnBothWorkersWithClassesFromTheApplicationJar() {
        long t0 = System.nanoTime();
        // per partition: (executor id, where the executor loaded one of our main classes from)
        List<Tuple2<String, String>> seen = jsc.parallelize(
                        IntStream.range(0, 8).boxed().toList(), 8)
                .mapPartitions(StandaloneClusterIT::whoRunsMe)
                .collect();
        System.out.println("first job in " + (System.nanoTime() - t0) / 1_000_000 + " ms: " + seen);

        Map<String, Long> partitionsByExecutor =
                new TreeMap<>(seen.stream().collect(Collectors.groupingBy(Tuple2::_1, Collectors.counting())));
        assertEquals(8, seen.size());
        assertEquals(2, partitionsByExecutor.size(), "both workers' executors ran tasks: " + partitionsByExecutor);
        assertFalse(partitionsByExecutor.containsKey("driver"), "nothing ran in the driver");
        assertEquals(2, cluster.executors().size(), "one executor JVM per worker");
        for (Tuple2<String, String> s : seen) {
            assertTrue(s._2().endsWith("daair.jar"), "io.daair classes come from the shipped daair.jar: " + s._2());
        }
    }

    @Test
    @Order(2)
    void aJobSurvivesTheLossOfAnExecutor() throws Exception {
        TaskEvents events = TaskEvents.attach(spark.sparkContext());
        List<Integer> numbers = IntStream.rangeClosed(1, 400).boxed().toList();

        long t0 = System.nanoTime();
        CompletableFuture<Long> job = CompletableFuture.supplyAsync(() ->
                jsc.parallelize(numbers, 4).map(StandaloneClusterIT::slowly).reduce(Long::sum));
        events.awaitStarted(2, Duration.ofMinutes(2));
        Thread.sleep(500); // both executors are inside a 2.5 s task
        long killed = cluster.killOneExecutor();
        long sum = job.get(2, TimeUnit.MINUTES);
        events.detach();
        System.out.println("job with a killed executor (pid " + killed + ") done in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms; failed task attempts " + events.failureKinds());

        assertEquals(400L * 401 / 2, sum, "every element counted exactly once");
        assertFalse(events.failureKinds().isEmpty(), "a task was lost with the executor and retried");
        assertTrue(
                events.failureKinds().stream().allMatch("ExecutorLostFailure"::equals),
                "lost only to the killed executor: " + events.failureKinds());
        assertTrue(cluster.executors().stream().noneMatch(p -> p.pid() == killed), "the killed JVM is gone");
    }

    /** Runs on an executor: its id and where it loads a class of our application jar from. */
    private static Iterator<Tuple2<String, String>> whoRunsMe(Iterator<Integer> partition) throws Exception {
        Thread.sleep(300); // keep both single-core executors busy so that tasks spread
        String executor = SparkEnv.get().executorId();
        String source = Class.forName("io.daair.jobs.cli.DaairCommand")
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .getPath();
        List<Tuple2<String, String>> out = new ArrayList<>();
        partition.forEachRemaining(i -> out.add(new Tuple2<>(executor, source)));
        return out.iterator();
    }

    private static long slowly(int x) throws InterruptedException {
        Thread.sleep(25); // 100 elements per task: 2.5 s per task
        return x;
    }
}
