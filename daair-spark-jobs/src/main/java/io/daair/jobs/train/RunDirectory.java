package io.daair.jobs.train;

import io.daair.data.fs.InFlightPaths;
import io.daair.jobs.cli.UserException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A training run's directory on any Hadoop file system (file://, hdfs://, s3a://):
 *
 * <pre>
 * run/
 *   run.json                      the run's identity: its settings and their SHA-256 (see RunIdentity)
 *   metrics.jsonl                 one JSON object per accepted round (see RoundMetrics)
 *   checkpoints/round-000020.ckpt one file per checkpoint (a zip: trainer state + run.json)
 *   model.safetensors             the final weights
 *   .lock                         while a train process works here: who it is
 * </pre>
 *
 * Every file is written under a unique temporary name and renamed, so a reader never sees half a file
 * and a failed write never replaces the last good checkpoint.
 */
public final class RunDirectory {
    private static final Pattern CHECKPOINT = Pattern.compile("round-(\\d{6,})\\.ckpt");
    private static final Pattern RUN_FILE =
            Pattern.compile("run\\.json|metrics\\.jsonl|model\\.safetensors|\\..+\\.tmp");
    private static final Pattern CHECKPOINT_FILE = Pattern.compile("round-\\d{6,}\\.ckpt(\\.damaged)?|\\..+\\.tmp");

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
        return new Path(root, RoundMetrics.FILE_NAME);
    }

    public Path modelFile() {
        return new Path(root, "model.safetensors");
    }

    public Path identityFile() {
        return new Path(root, "run.json");
    }

    public Path lockFile() {
        return new Path(root, ".lock");
    }

    private Path checkpoints() {
        return new Path(root, "checkpoints");
    }

    /**
     * Claims this directory for one train process: creates {@code .lock} exclusively, with the owner
     * written in it. Closing the claim deletes it. A process that died leaves it behind: the error
     * names the owner and says to delete the file once that process is gone.
     */
    public Claim claim() throws IOException {
        String owner = String.format(
                "daair train, pid %d on %s, started %s%n",
                ProcessHandle.current().pid(), InetAddress.getLocalHost().getHostName(), Instant.now());
        try {
            createExclusive(lockFile(), owner.getBytes(StandardCharsets.UTF_8));
        } catch (FileAlreadyExistsException | java.nio.file.FileAlreadyExistsException e) {
            String holder = fs.exists(lockFile())
                    ? new String(readAll(lockFile()), StandardCharsets.UTF_8).trim()
                    : "another process";
            throw UserException.badState("run directory " + root + " is in use by " + holder + " (" + lockFile()
                    + "). Two train processes on one run directory would overwrite each other's files. If that"
                    + " process has ended (killed or crashed), delete " + lockFile() + " and continue with --resume.");
        }
        return new Claim(owner);
    }

    /** Held while a train process works in the directory; closing it releases the directory. */
    public final class Claim implements AutoCloseable {
        private final String owner;

        private Claim(String owner) {
            this.owner = owner;
        }

        @Override
        public void close() throws IOException {
            if (fs.exists(lockFile()) && owner.equals(new String(readAll(lockFile()), StandardCharsets.UTF_8))) {
                fs.delete(lockFile(), false);
            }
        }
    }

    /** Create-exclusive: atomic on file: (CREATE_NEW) and HDFS; on S3A only as atomic as its create. */
    private void createExclusive(Path path, byte[] content) throws IOException {
        if ("file".equals(fs.getScheme())) {
            Files.write(Paths.get(fs.makeQualified(path).toUri()), content, StandardOpenOption.CREATE_NEW);
            return;
        }
        try (FSDataOutputStream out = fs.create(path, false)) {
            out.write(content);
        }
    }

    /** The files an earlier run wrote here (run.json, metrics, model, checkpoints, temporaries). */
    public List<Path> runFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (FileStatus s : fs.listStatus(root)) {
            if (s.isFile() && RUN_FILE.matcher(s.getPath().getName()).matches()) {
                files.add(s.getPath());
            }
        }
        for (FileStatus s : fs.listStatus(checkpoints())) {
            if (s.isFile() && CHECKPOINT_FILE.matcher(s.getPath().getName()).matches()) {
                files.add(s.getPath());
            }
        }
        return files;
    }

    /** The names of what else the directory holds: anything but the lock and an empty checkpoints folder. */
    public List<String> otherEntries() throws IOException {
        List<String> names = new ArrayList<>();
        for (FileStatus s : fs.listStatus(root)) {
            Path p = s.getPath();
            boolean ours = p.getName().equals(lockFile().getName())
                    || (p.getName().equals(checkpoints().getName()) && fs.listStatus(p).length == 0);
            if (!ours) {
                names.add(p.getName());
            }
        }
        return names;
    }

    /** Deletes what {@link #runFiles} lists, nothing else; returns how many files. */
    public int deleteRunFiles() throws IOException {
        List<Path> files = runFiles();
        for (Path f : files) {
            if (!fs.delete(f, false)) {
                throw new IOException("cannot delete " + f);
            }
        }
        return files.size();
    }

    /** The run's identity from run.json, if written. */
    public Optional<RunIdentity> readIdentity() throws IOException {
        if (!fs.exists(identityFile())) {
            return Optional.empty();
        }
        String json = new String(readAll(identityFile()), StandardCharsets.UTF_8);
        return Optional.of(RunIdentity.fromJson(json, identityFile().toString()));
    }

    public void writeIdentity(RunIdentity identity) throws IOException {
        writeAtomically(identityFile(), out -> out.write(identity.toJson().getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes checkpoint {@code round} atomically. */
    public Path writeCheckpoint(long round, IoWriter content) throws IOException {
        Path target = new Path(checkpoints(), String.format("round-%06d.ckpt", round));
        writeAtomically(target, content);
        return target;
    }

    /** The checkpoints, highest round first (temporary and damaged files are not listed). */
    public List<Path> checkpointsNewestFirst() throws IOException {
        List<Path> found = new ArrayList<>();
        if (fs.exists(checkpoints())) {
            for (FileStatus status : fs.listStatus(checkpoints())) {
                if (CHECKPOINT.matcher(status.getPath().getName()).matches()) {
                    found.add(status.getPath());
                }
            }
        }
        found.sort(Comparator.comparingLong(RunDirectory::round).reversed());
        return found;
    }

    /** The checkpoint of the highest round, if any. */
    public Optional<Path> latestCheckpoint() throws IOException {
        return checkpointsNewestFirst().stream().findFirst();
    }

    private static long round(Path checkpoint) {
        Matcher m = CHECKPOINT.matcher(checkpoint.getName());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Renames a checkpoint that failed verification to {@code <name>.damaged}: kept, but never read again. */
    public Path setAside(Path checkpoint) throws IOException {
        Path aside = new Path(checkpoint.getParent(), checkpoint.getName() + ".damaged");
        if (!fs.rename(checkpoint, aside)) {
            throw new IOException("cannot rename " + checkpoint + " to " + aside);
        }
        return aside;
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

    /** Writes {@code target} under a unique temporary name in the same folder, then renames it into place. */
    public void writeAtomically(Path target, IoWriter content) throws IOException {
        Path tmp = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
        InFlightPaths.add(fs, tmp);
        try (FSDataOutputStream out = fs.create(tmp, false)) {
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
