package io.daair.jobs.report;

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

class TrainingLogTest {

    @TempDir
    java.nio.file.Path run;

    @Test
    void readsTheDocumentedFormatIgnoringExtraFieldsAndATruncatedLastLine() throws IOException {
        Files.writeString(
                run.resolve("metrics.jsonl"),
                """
                {"round": 1, "step": 5, "loss": 0.12, "aux_loss": 1.5, "router_accuracy": 0.25, "samples_per_sec": 40.5, "lr": 2e-4}

                {"round": 2, "step": 10, "loss": NaN, "aux_loss": 1.2, "router_accuracy": 0.5, "samples_per_sec": 41}
                {"round": 3, "step": 15, "loss": 0.0
                """);
        List<TrainingPoint> points = TrainingLog.read(new Path(run.toUri()), new Configuration());
        assertEquals(
                List.of(
                        new TrainingPoint(1, 5, 0.12, 1.5, 0.25, 40.5),
                        new TrainingPoint(2, 10, Double.NaN, 1.2, 0.5, 41)),
                points);
    }

    @Test
    void aBadLineNamesTheFileAndLine() throws IOException {
        Files.writeString(
                run.resolve("metrics.jsonl"),
                "{\"round\": 1, \"step\": 5, \"loss\": 0.1, \"router_accuracy\": 0.2, \"samples_per_sec\": 1}\n"
                        + TrainingLog.toJsonLine(new TrainingPoint(2, 10, 0.1, 1, 0.5, 3)) + "\n");
        var e = assertThrows(IOException.class, () -> TrainingLog.read(new Path(run.toUri()), new Configuration()));
        assertTrue(e.getMessage().contains("metrics.jsonl line 1 is not a training point"), e.getMessage());
        assertTrue(e.getMessage().contains("aux_loss"), e.getMessage());
    }

    @Test
    void toJsonLineWritesTheFormatOnOneLine() throws IOException {
        TrainingPoint p = new TrainingPoint(7, 35, 0.05, 0.4, 0.875, 39.5);
        String line = TrainingLog.toJsonLine(p);
        assertEquals(
                "{\"round\":7,\"step\":35,\"loss\":0.05,\"aux_loss\":0.4,\"router_accuracy\":0.875,\"samples_per_sec\":39.5}",
                line);
        assertEquals(List.of(p), TrainingLog.parse(List.of(line), "test"));
    }

    @Test
    void aMissingFileSaysWhatToGive() {
        var e = assertThrows(UserException.class, () -> TrainingLog.read(new Path(run.toUri()), new Configuration()));
        assertEquals(ExitCode.BAD_STATE, e.exitCode());
        assertTrue(e.getMessage().startsWith("No metrics.jsonl in training run directory file:"), e.getMessage());
    }
}
