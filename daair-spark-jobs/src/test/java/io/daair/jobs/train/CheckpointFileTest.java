package io.daair.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** The checkpoint zip: its run.json as written by every version, and the trainer state's checksum. */
class CheckpointFileTest {
    private static final byte[] TRAINER = {1, 2, 3, 4};

    @Test
    void roundTrips() throws IOException {
        CheckpointFile back = CheckpointFile.parse(new CheckpointFile(3, 60, 0.25, TRAINER).toBytes(), "cp", 100);
        assertEquals(3, back.round());
        assertEquals(60, back.step());
        assertEquals(0.25, back.lrScale());
        assertArrayEquals(TRAINER, back.trainer());
    }

    @Test
    void readsTheRunJsonOfEveryVersion() throws IOException {
        String sha = CheckpointFile.sha256(TRAINER);
        String current = "{\"round\":2,\"step\":4,\"lr_scale\":1.0,\"trainer_sha256\":\"" + sha + "\"}";
        assertEquals(2, CheckpointFile.parse(zip(current, TRAINER), "cp", 100).round());
        // before the checksum: read unverified
        assertEquals(
                4,
                CheckpointFile.parse(zip("{\"round\":1,\"step\":4,\"lr_scale\":0.5}", TRAINER), "cp", 100)
                        .step());
        var e = assertThrows(IOException.class, () -> CheckpointFile.parse(zip(current, new byte[] {9}), "cp", 100));
        assertTrue(e.getMessage().contains("cp fails its SHA-256 check"), e.getMessage());
        assertThrows(IOException.class, () -> CheckpointFile.parse(zip("{\"round\":1}", TRAINER), "cp", 100));
    }

    private static byte[] zip(String runJson, byte[] trainer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("run.json"));
            zip.write(runJson.getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("trainer.bin"));
            zip.write(trainer);
        }
        return bytes.toByteArray();
    }
}
