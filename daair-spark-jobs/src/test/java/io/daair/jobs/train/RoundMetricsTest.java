package io.daair.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.jobs.cli.ExitCode;
import io.daair.jobs.cli.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** metrics.jsonl: a line gives back every value a run can write, and the file reads as its format says. */
class RoundMetricsTest {

    @TempDir
    java.nio.file.Path run;

    @Test
    void nonFiniteAndFullPrecisionValuesRoundTrip() throws IOException {
        // a run without experts has no router accuracy; a stalled round has no throughput to speak of
        RoundMetrics written = new RoundMetrics(
                3,
                15,
                0.123456789012345,
                Double.POSITIVE_INFINITY,
                Double.NaN,
                Double.NEGATIVE_INFINITY,
                1.0 / 3,
                2e-9,
                1.7e-4,
                2,
                40);
        assertEquals(written, RoundMetrics.fromJson(written.toJson()));
    }

    @Test
    void nonFiniteNumbersAreWrittenAsStrings() {
        RoundMetrics r =
                new RoundMetrics(7, 35, 0.05, 0.4, Double.NaN, Double.POSITIVE_INFINITY, 1.5, 0.25, 2e-4, 2, 40);
        assertEquals(
                "{\"round\":7,\"step\":35,\"loss\":0.05,\"aux_loss\":0.4,\"router_accuracy\":\"NaN\","
                        + "\"samples_per_sec\":\"Infinity\",\"compute_seconds\":1.5,\"averaging_seconds\":0.25,"
                        + "\"learning_rate\":2.0E-4,\"workers\":2,\"samples\":40}",
                r.toJson());
    }

    @Test
    void readsTheBareNaNOfOlderRuns() throws IOException {
        String older = "{\"round\":1,\"step\":5,\"loss\":0.120000,\"aux_loss\":0.00000,\"router_accuracy\":NaN,"
                + "\"samples_per_sec\":41.5000,\"compute_seconds\":0.500000,\"averaging_seconds\":0.100000,"
                + "\"learning_rate\":0.000200000,\"workers\":1,\"samples\":10}";
        assertEquals(
                new RoundMetrics(1, 5, 0.12, 0, Double.NaN, 41.5, 0.5, 0.1, 2e-4, 1, 10), RoundMetrics.fromJson(older));
    }

    @Test
    void readsTheDocumentedFormatIgnoringExtraFieldsAndATruncatedLastLine() throws IOException {
        Files.writeString(
                run.resolve("metrics.jsonl"),
                """
                {"round": 1, "step": 5, "loss": 0.12, "aux_loss": 1.5, "router_accuracy": 0.25, "samples_per_sec": 40.5, "lr": 2e-4}

                {"round": 2, "step": 10, "loss": null, "aux_loss": 1.2, "router_accuracy": "NaN", "samples_per_sec": -Infinity, "workers": 2}
                {"round": 3, "step": 15, "loss": 0.0
                """);
        double nan = Double.NaN;
        assertEquals(
                List.of(
                        new RoundMetrics(1, 5, 0.12, 1.5, 0.25, 40.5, nan, nan, nan, 0, 0),
                        new RoundMetrics(2, 10, nan, 1.2, nan, Double.NEGATIVE_INFINITY, nan, nan, nan, 2, 0)),
                RoundMetrics.read(new Path(run.toUri()), new Configuration()));
    }

    @Test
    void aBadLineNamesTheFileAndLine() throws IOException {
        Files.writeString(
                run.resolve("metrics.jsonl"),
                "{\"round\": 1, \"step\": 5, \"loss\": 0.1, \"router_accuracy\": 0.2, \"samples_per_sec\": 1}\n"
                        + new RoundMetrics(2, 10, 0.1, 1, 0.5, 3, 1, 1, 1, 1, 1).toJson() + "\n");
        var e = assertThrows(IOException.class, () -> RoundMetrics.read(new Path(run.toUri()), new Configuration()));
        assertTrue(e.getMessage().contains("metrics.jsonl line 1 is not a round's metrics"), e.getMessage());
        assertTrue(e.getMessage().contains("aux_loss"), e.getMessage());
    }

    @Test
    void aMissingFileSaysWhatToGive() {
        var e = assertThrows(UserException.class, () -> RoundMetrics.read(new Path(run.toUri()), new Configuration()));
        assertEquals(ExitCode.BAD_STATE, e.exitCode());
        assertTrue(e.getMessage().startsWith("No metrics.jsonl in training run directory file:"), e.getMessage());
    }
}
