package io.daair.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.jobs.cli.ExitCode;
import io.daair.jobs.cli.UserException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run directory's claim, its run files and the checkpoint format, on file: (no Spark). */
class RunDirectoryTest {
    private static final long CAP = 1 << 20;

    @TempDir
    Path tmp;

    RunDirectory dir() {
        return new RunDirectory(tmp.resolve("run").toUri().toString(), new Configuration());
    }

    @Test
    @SuppressWarnings("try") // the claim is held for its scope and never referenced
    void oneClaimAtATimeAndTheErrorNamesTheOwner() throws Exception {
        RunDirectory run = dir();
        try (RunDirectory.Claim first = run.claim()) {
            UserException e = assertThrows(UserException.class, run::claim);
            assertEquals(ExitCode.BAD_STATE, e.exitCode());
            assertTrue(
                    e.getMessage()
                            .contains("is in use by daair train, pid "
                                    + ProcessHandle.current().pid()),
                    e.getMessage());
            assertTrue(e.getMessage().contains("delete " + run.lockFile()), e.getMessage());
        }
        assertTrue(Files.notExists(tmp.resolve("run/.lock")), "released");
        run.claim().close();
    }

    @Test
    void deletingTheRunFilesLeavesEverythingElse() throws Exception {
        RunDirectory run = dir();
        run.writeMetrics(List.of("{}"));
        run.writeCheckpoint(1, out -> out.write(1));
        Files.writeString(tmp.resolve("run/notes.txt"), "mine");
        Files.writeString(tmp.resolve("run/checkpoints/README"), "mine too");
        assertEquals(2, run.runFiles().size());
        assertEquals(2, run.deleteRunFiles());
        assertTrue(Files.exists(tmp.resolve("run/notes.txt")));
        assertTrue(Files.exists(tmp.resolve("run/checkpoints/README")));
        assertEquals(List.of(), run.runFiles());
    }

    @Test
    void aCheckpointFileIsVerified() throws Exception {
        byte[] trainer = new byte[5000];
        new java.util.Random(1).nextBytes(trainer);
        byte[] bytes = new CheckpointFile(3, 12, 0.5, trainer).toBytes();
        CheckpointFile back = CheckpointFile.parse(bytes, "ckpt", CAP);
        assertEquals(3, back.round());
        assertEquals(12, back.step());
        assertEquals(0.5, back.lrScale());
        assertTrue(java.util.Arrays.equals(trainer, back.trainer()));

        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        assertThrows(java.io.IOException.class, () -> CheckpointFile.parse(truncated, "ckpt", CAP));
    }

    @Test
    void anAlteredTrainerStateFailsTheChecksum() throws Exception {
        byte[] trainer = "trainer".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        CheckpointFile good = new CheckpointFile(1, 1, 1.0, trainer);
        // a checkpoint whose run.json carries the checksum of other bytes
        byte[] other =
                new CheckpointFile(1, 1, 1.0, "trainer!".getBytes(java.nio.charset.StandardCharsets.UTF_8)).toBytes();
        byte[] forged = Splice.replaceTrainer(other, trainer);
        java.io.IOException e =
                assertThrows(java.io.IOException.class, () -> CheckpointFile.parse(forged, "ckpt", CAP));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
        assertTrue(java.util.Arrays.equals(
                trainer, CheckpointFile.parse(good.toBytes(), "ckpt", CAP).trainer()));
    }

    @Test
    void aTrainerStateInflatingPastTheCapIsRefusedWithoutTakingItsMemory() throws Exception {
        // 64 MiB of zeros deflate to ~64 KiB: a checkpoint may not inflate past what its network can hold
        byte[] bomb = new CheckpointFile(1, 1, 1.0, new byte[64 << 20]).toBytes();
        java.io.IOException e =
                assertThrows(java.io.IOException.class, () -> CheckpointFile.parse(bomb, "bomb.ckpt", CAP));
        assertTrue(
                e.getMessage().contains("trainer.bin of bomb.ckpt")
                        && e.getMessage().contains("larger"),
                e.getMessage());
    }

    /** Rewrites a checkpoint zip with another trainer.bin but the same run.json. */
    static final class Splice {
        static byte[] replaceTrainer(byte[] zipBytes, byte[] trainer) throws java.io.IOException {
            var out = new java.io.ByteArrayOutputStream();
            try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zipBytes));
                    var zip = new java.util.zip.ZipOutputStream(out)) {
                for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    byte[] data = in.readAllBytes();
                    zip.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                    zip.write(e.getName().equals("trainer.bin") ? trainer : data);
                    zip.closeEntry();
                }
            }
            return out.toByteArray();
        }
    }
}
