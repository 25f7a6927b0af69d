package io.daair.jobs.train;

import io.daair.data.fs.InFlightPaths;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A training run's directory on any Hadoop file system (file://, hdfs://, s3a://):
 *
 * <pre>
 * run/
 *   metrics.jsonl                 one JSON object per accepted round (see RoundMetrics)
 *   checkpoints/round-000020.ckpt one file per checkpoint (a zip: trainer state + run.json)
 *   model.safetensors             the final weights
 * </pre>
 *
 * Every file is written under a temporary name and renamed, so a reader never sees half a file
 * and a failed write never replaces the last good checkpoint.
 */
public final class RunDirectory {
    private static final Pattern CHECKPOINT = Pattern.compile("round-(\\d{6,})\\.ckpt");

    private final Path root;
    private final FileSystem fs;

    public RunDirectory(String uri, Configuration hadoopConf) {
        this.root = new Path(URI.create(uri));
        try {
            this.fs = root.getFileSystem(hadoopConf);
            fs.mkdirs(new Path(root, "checkpoints"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the run directory " + uri + ": " + e.getMessage(), e);
        }
    }

    public Path root() {
        return root;
    }

    public Path metricsFile() {
        return new Path(root, "metrics.jsonl");
    }

    public Path modelFile() {
        return new Path(root, "model.safetensors");
    }

    /** Writes checkpoint {@code round} atomically. */
    public Path writeCheckpoint(long round, IoWriter content) throws IOException {
        Path target = new Path(root, String.format("checkpoints/round-%06d.ckpt", round));
        writeAtomically(target, content);
        return target;
    }

    /** The checkpoint of the highest round, if any (temporary files are ignored). */
    public Optional<Path> latestCheckpoint() throws IOException {
        Path dir = new Path(root, "checkpoints");
        if (!fs.exists(dir)) {
            return Optional.empty();
        }
        Path best = null;
        long bestRound = -1;
        for (FileStatus status : fs.listStatus(dir)) {
            Matcher m = CHECKPOINT.matcher(status.getPath().getName());
            if (m.matches() && Long.parseLong(m.group(1)) > bestRound) {
                bestRound = Long.parseLong(m.group(1));
                best = status.getPath();
            }
        }
        return Optional.ofNullable(best);
    }

    public InputStream open(Path path) throws IOException {
        return fs.open(path);
    }

    /** Replaces metrics.jsonl with these lines (the file is small; object stores cannot append). */
    public void writeMetrics(List<String> jsonLines) throws IOException {
        writeAtomically(metricsFile(), out -> {
            for (String line : jsonLines) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    /** The lines of metrics.jsonl, or none. */
    public List<String> readMetrics() throws IOException {
        List<String> lines = new ArrayList<>();
        if (!fs.exists(metricsFile())) {
            return lines;
        }
        try (InputStream in = fs.open(metricsFile())) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    /** Writes {@code target} under a temporary name in the same folder, then renames it into place. */
    public void writeAtomically(Path target, IoWriter content) throws IOException {
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        InFlightPaths.add(fs, tmp);
        try (FSDataOutputStream out = fs.create(tmp, true)) {
            content.write(out);
        } catch (IOException | RuntimeException e) {
            fs.delete(tmp, false);
            throw e;
        }
        if (fs.exists(target) && !fs.delete(target, false)) {
            throw new IOException("cannot replace " + target);
        }
        if (!fs.rename(tmp, target)) {
            throw new IOException("cannot rename " + tmp + " to " + target);
        }
        InFlightPaths.remove(tmp);
    }

    /** Reads a whole small file. */
    public byte[] readAll(Path path) throws IOException {
        try (InputStream in = fs.open(path)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    /** Writes content to a stream; may throw IOException. */
    @FunctionalInterface
    public interface IoWriter {
        void write(OutputStream out) throws IOException;
    }
}
