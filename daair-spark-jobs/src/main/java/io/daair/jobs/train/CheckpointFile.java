package io.daair.jobs.train;

import io.daair.nn.io.BoundedInput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * A checkpoint of the run directory, the one owner of its format: a zip of {@code run.json} (round,
 * step, learning-rate scale and the SHA-256 of the trainer state) and {@code trainer.bin}
 * (LocalTrainer's checkpoint). {@link #parse} verifies the checksum, so a truncated or altered file is
 * refused rather than resumed from.
 */
public record CheckpointFile(long round, long step, double lrScale, byte[] trainer) {
    private static final String META = "run.json";
    private static final String TRAINER = "trainer.bin";
    private static final int MAX_META_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code run.json}; checkpoints written before the checksum was added have no {@code trainer_sha256}. */
    record Meta(
            @JsonProperty(value = "round", required = true) long round,
            @JsonProperty(value = "step", required = true) long step,
            @JsonProperty(value = "lr_scale", required = true) double lrScale,
            @JsonProperty("trainer_sha256") String trainerSha256) {}

    byte[] toBytes() throws IOException {
        byte[] meta = JSON.writeValueAsBytes(new Meta(round, step, lrScale, sha256(trainer)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(META));
            zip.write(meta);
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(TRAINER));
            zip.write(trainer);
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    /**
     * Reads and verifies the checkpoint {@code bytes} (a whole {@code round-NNNNNN.ckpt}). Its trainer state is
     * itself a deflated zip, which barely compresses again: an entry that inflates to more than twice the file
     * (plus 1 MiB) is not a checkpoint but a zip bomb.
     */
    public static CheckpointFile read(byte[] bytes, String where) throws IOException {
        return parse(bytes, where, 2L * bytes.length + (1 << 20));
    }

    /**
     * Reads and verifies a checkpoint; {@code where} names it in errors. Checkpoints written before the
     * checksum was added (no {@code trainer_sha256}) are read unverified. The trainer state may inflate to
     * {@code maxTrainerBytes} at most (a zip entry can claim gigabytes).
     */
    static CheckpointFile parse(byte[] bytes, String where, long maxTrainerBytes) throws IOException {
        byte[] trainer = null;
        byte[] meta = null;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals(TRAINER)) {
                    trainer = BoundedInput.readAtMost(zip, maxTrainerBytes, TRAINER + " of " + where);
                } else if (e.getName().equals(META)) {
                    meta = BoundedInput.readAtMost(zip, MAX_META_BYTES, META + " of " + where);
                }
            }
        }
        if (trainer == null || meta == null) {
            throw new IOException(where + " is incomplete: no " + TRAINER + " or " + META + " in it");
        }
        Meta m = JSON.readValue(meta, Meta.class);
        if (m.trainerSha256() != null && !m.trainerSha256().equals(sha256(trainer))) {
            throw new IOException(where + " fails its SHA-256 check: its trainer state is damaged");
        }
        return new CheckpointFile(m.round(), m.step(), m.lrScale(), trainer);
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
