package io.daair.jobs.cli;

import static io.daair.jobs.testing.Cli.daair;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.jobs.testing.Cli.Run;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code daair doctor --executors N} runs the golden check in N Spark tasks and reports each one's executor. */
class DoctorExecutorsIT {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("DoctorExecutorsIT")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void everyTaskReportsItsExecutorAndTheCheck() {
        Run run = daair("doctor", "--executors", "2");
        assertEquals(0, run.exitCode(), run.printed());
        long reports = run.out()
                .lines()
                .filter(l -> l.matches("executor driver on \\S+: OK"))
                .count();
        assertEquals(2, reports, run.out());
        assertTrue(run.out().contains("native build"), run.out());
    }
}
