package io.daair.jobs.doctor;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The doctor's check run where the work runs: the bundled golden check in {@code tasks} Spark tasks, which Spark
 * spreads over the executors (give one task per executor), each reporting its executor, host, backend and result.
 */
public final class ExecutorCheck {

    /** What one task saw: where it ran, the installation lines there, and the values that differ (none: OK). */
    public record Report(String executor, String host, List<String> installation, List<String> failures)
            implements Serializable {}

    private ExecutorCheck() {}

    public static List<Report> run(JavaSparkContext jsc, int tasks) {
        return jsc.parallelize(IntStream.range(0, tasks).boxed().toList(), tasks)
                .map(task -> check())
                .collect();
    }

    private static Report check() throws IOException {
        GoldenCheck.Result result = GoldenCheck.run(GoldenFixture.bundled());
        List<String> failures = result.failures().stream()
                .map(c -> c.what() + " differs by " + c.difference())
                .toList();
        return new Report(SparkEnv.get().executorId(), host(), Installation.describe(), failures);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
