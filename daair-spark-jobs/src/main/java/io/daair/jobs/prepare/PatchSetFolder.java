package io.daair.jobs.prepare;

import io.daair.jobs.cli.UserException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The output folder of {@code daair prepare}, and the only place that decides what may be replaced. A patch
 * set carries its own marker file ({@link #MARKER}); {@code --overwrite} replaces only a folder with that
 * marker, never an input folder or a folder that holds one, and the earlier set is swapped out only once the
 * new one is complete.
 */
final class PatchSetFolder {
    /** Written by prepare into every patch set: what makes a folder replaceable. */
    static final String MARKER = "_daair_patches.json";

    /** Every failed sample of a patch set (path, sample, reason), written beside the patches. */
    static final String FAILURES = "_failures.tsv";

    private static final String MARKER_TEXT = "{\"written-by\": \"daair prepare\", \"format\": 1}\n";

    private PatchSetFolder() {}

    /**
     * Refuses a target that is one of the {@code inputs} or holds one, an existing target without
     * {@code overwrite}, and an existing target that is not a patch set. Deletes nothing.
     */
    static void checkReplaceable(FileSystem fs, Path target, List<String> inputs, boolean overwrite)
            throws IOException {
        Path out = resolved(fs, target);
        for (String input : inputs) {
            Path in = resolved(fs, new Path(input));
            for (Path p = in; p != null; p = p.getParent()) {
                if (p.equals(out)) {
                    throw UserException.badInput("output " + target + " is, or holds, the input folder " + input
                            + ": choose an output folder outside the inputs (nothing was deleted)");
                }
            }
        }
        if (!fs.exists(target)) {
            return;
        }
        if (!overwrite) {
            throw UserException.badInput("output " + target + " already exists: choose another folder or set"
                    + " daair.data.prepare.overwrite = true (--overwrite) to replace an earlier patch set");
        }
        if (!fs.exists(new Path(target, MARKER))) {
            throw UserException.badInput("output " + target + " exists and is not a patch set written by"
                    + " daair prepare (it has no " + MARKER + "): nothing was deleted; choose another folder, or"
                    + " remove it yourself if it may go");
        }
    }

    /** A hidden sibling of {@code target} with a unique name, e.g. {@code .patches.tmp-<uuid>}. */
    static Path sibling(Path target, String kind) {
        return new Path(target.getParent(), "." + target.getName() + "." + kind + "-" + UUID.randomUUID());
    }

    /** Writes the marker and the failure list into the finished (still temporary) folder {@code dir}. */
    static void finish(FileSystem fs, Path dir, List<String> failureRows) throws IOException {
        write(fs, new Path(dir, FAILURES), FailureRow.HEADER + "\n" + String.join("", failureRows));
        write(fs, new Path(dir, MARKER), MARKER_TEXT);
    }

    /**
     * Puts the complete set {@code fresh} in place of {@code target}: the earlier set is renamed aside first,
     * put back if the second rename fails, and deleted only once the new set has its name.
     */
    static void swapIn(FileSystem fs, Path fresh, Path target) throws IOException {
        Path old = fs.exists(target) ? sibling(target, "old") : null;
        if (old != null && !fs.rename(target, old)) {
            throw new IOException("could not move the earlier patch set " + target + " aside to " + old);
        }
        if (!fs.rename(fresh, target)) {
            if (old != null) {
                fs.rename(old, target);
            }
            throw new IOException("could not rename the finished patches " + fresh + " to " + target);
        }
        if (old != null) {
            fs.delete(old, true);
        }
    }

    /** The qualified path, with symbolic links resolved on the local file system. */
    private static Path resolved(FileSystem fs, Path p) throws IOException {
        Path q = fs.makeQualified(p);
        if ("file".equals(q.toUri().getScheme()) && fs.exists(q)) {
            return fs.makeQualified(new Path(Paths.get(q.toUri()).toRealPath().toUri()));
        }
        return q;
    }

    private static void write(FileSystem fs, Path file, String text) throws IOException {
        try (OutputStream out = fs.create(file, false)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
