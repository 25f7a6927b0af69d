package io.daair.jobs.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
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
        TaskWatcher watcher = new TaskWatcher();
        spark.sparkContext().addSparkListener(watcher);
        List<Integer> numbers = IntStream.rangeClosed(1, 400).boxed().toList();

        long t0 = System.nanoTime();
        CompletableFuture<Long> job = CompletableFuture.supplyAsync(() ->
                jsc.parallelize(numbers, 4).map(StandaloneClusterIT::slowly).reduce(Long::sum));
        while (watcher.started.get() < 2 && !job.isDone()) {
            Thread.sleep(100);
        }
        Thread.sleep(500); // both executors are inside a slow task
        long killed = cluster.killOneExecutor();
        long sum = job.get(120, TimeUnit.SECONDS);
        System.out.println("job with a killed executor (pid " + killed + ") done in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms; failed tasks " + watcher.failures);

        assertEquals(400L * 401 / 2, sum, "every element counted exactly once");
        assertFalse(watcher.failures.isEmpty(), "a task was lost with the executor and retried");
        assertTrue(
                watcher.failures.stream().allMatch(r -> r.startsWith("ExecutorLostFailure")),
                "lost only to the killed executor: " + watcher.failures);
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

    /** Counts task starts and records why tasks failed. */
    private static final class TaskWatcher extends SparkListener {
        final AtomicInteger started = new AtomicInteger();
        final List<String> failures = new CopyOnWriteArrayList<>();

        @Override
        public void onTaskStart(SparkListenerTaskStart taskStart) {
            started.incrementAndGet();
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
            if (!taskEnd.taskInfo().successful()) {
                String reason = taskEnd.reason() instanceof ExecutorLostFailure
                        ? "ExecutorLostFailure"
                        : taskEnd.reason().toString();
                failures.add(reason + " on executor " + taskEnd.taskInfo().executorId());
            }
        }
    }
}
