package io.daair.jobs.cli;

import static io.daair.jobs.testing.Cli.daair;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.jobs.testing.Cli.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code daair demo} checks its settings and its work folder before it deletes anything. */
class DemoCommandTest {

    /** A work folder as an earlier demo leaves it: its marker, a run and patches. */
    private static Path earlierDemo(Path dir) throws IOException {
        Path work = dir.resolve("work");
        Files.createDirectories(work.resolve("run"));
        Files.createDirectories(work.resolve("patches"));
        Files.writeString(work.resolve("_daair_demo.json"), "{}");
        Files.writeString(work.resolve("run/metrics.jsonl"), "{}\n");
        Files.writeString(work.resolve("patches/_daair_patches.json"), "{}");
        return work;
    }

    @Test
    void aBadSettingFailsBeforeAnythingIsDeleted(@TempDir Path dir) throws IOException {
        Path work = earlierDemo(dir);
        Run run = daair("demo", "--work", work.toString(), "--set", "data.prepare.partitions=-1");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("partitions"), run.err());
        assertTrue(Files.exists(work.resolve("run/metrics.jsonl")), "the earlier run was deleted");
        assertTrue(Files.exists(work.resolve("patches/_daair_patches.json")), "the earlier patches were deleted");
    }

    @Test
    void aBadTrainingSettingFailsBeforeAnythingIsDeleted(@TempDir Path dir) throws IOException {
        Path work = earlierDemo(dir);
        Run run = daair("demo", "--work", work.toString(), "--set", "train.workers=0");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("daair.train.workers"), run.err());
        assertTrue(Files.exists(work.resolve("run/metrics.jsonl")), "the earlier run was deleted");
    }

    @Test
    void aWorkFolderNotMadeByTheDemoIsRefusedAndKeptAsItWas(@TempDir Path dir) throws IOException {
        Path work = dir.resolve("mine");
        Files.createDirectories(work.resolve("run"));
        Files.writeString(work.resolve("run/notes.txt"), "my notes");
        Files.writeString(work.resolve("photos"), "not a folder");
        Run run = daair("demo", "--work", work.toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("_daair_demo.json") && run.err().contains(work.toString()), run.err());
        assertEquals("my notes", Files.readString(work.resolve("run/notes.txt")));
        assertEquals("not a folder", Files.readString(work.resolve("photos")));
        assertTrue(Files.notExists(work.resolve("_daair_demo.json")));
    }
}
