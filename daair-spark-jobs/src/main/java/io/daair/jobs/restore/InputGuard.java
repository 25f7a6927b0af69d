package io.daair.jobs.restore;

import io.daair.jobs.cli.UserException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Keeps every write of a restore run out of its input folder, comparing real paths: on local disk symbolic
 * links are resolved ({@link java.nio.file.Path#toRealPath}), elsewhere the file system's
 * {@link FileSystem#resolvePath} (HDFS and S3 have no symbolic links unless enabled). An output root that is
 * the input or inside it is refused on the driver; an output file that would land inside the input (through
 * a link in the output folder, or an output folder that holds the input) is refused per image.
 *
 * @param realInput the input folder's real path, as a Hadoop path string
 */
record InputGuard(String realInput) implements Serializable {

    /** The guard of the input folder {@code input}. */
    static InputGuard of(Path input, FileSystem fs) throws IOException {
        return new InputGuard(realPath(input, fs).toString());
    }

    /** Fails when the output folder is the input folder or inside it (after resolving links). */
    void checkOutputRoot(Path output, FileSystem fs, String givenOutput, String givenInput) throws IOException {
        Path real = realPath(output, fs);
        if (isInside(real)) {
            throw UserException.badInput("--output " + givenOutput
                    + (real.toString().equals(realInput) ? " is" : " is inside")
                    + " the --input folder " + givenInput + " (real path " + real + ")"
                    + ": give an output folder outside the input folder");
        }
    }

    /** Fails when writing {@code target} would write into the input folder. */
    void checkTarget(Path target) {
        Path real;
        try {
            real = isLocal(target) ? localRealPath(target) : target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve the output " + target, e);
        }
        if (isInside(real)) {
            throw new OutputPaths.UnsafePathException("the output " + target + " would be written inside the input"
                    + " folder (as " + real + "): remove the link or choose another output folder");
        }
    }

    private boolean isInside(Path real) {
        Path input = new Path(realInput);
        String in = OutputPaths.pathOf(realInput);
        String path = real.toUri().getPath();
        boolean sameStore = String.valueOf(input.toUri().getScheme())
                        .equals(String.valueOf(real.toUri().getScheme()))
                && String.valueOf(input.toUri().getAuthority())
                        .equals(String.valueOf(real.toUri().getAuthority()));
        return sameStore && (path.equals(in) || path.startsWith(in.endsWith("/") ? in : in + "/"));
    }

    /** The real path of {@code p}, which need not exist (its deepest existing ancestor is resolved). */
    static Path realPath(Path p, FileSystem fs) throws IOException {
        if (isLocal(p)) {
            return localRealPath(p);
        }
        Path existing = p;
        String rest = "";
        while (existing.getParent() != null && !fs.exists(existing)) {
            rest = "/" + existing.getName() + rest;
            existing = existing.getParent();
        }
        Path resolved = fs.resolvePath(existing);
        return rest.isEmpty() ? resolved : OutputPaths.resolve(resolved.toString(), rest.substring(1));
    }

    private static boolean isLocal(Path p) {
        return "file".equals(p.toUri().getScheme());
    }

    private static Path localRealPath(Path p) throws IOException {
        java.nio.file.Path existing = Paths.get(p.toUri());
        java.nio.file.Path rest = existing.getFileSystem().getPath("");
        while (existing.getParent() != null && !Files.exists(existing)) {
            rest = existing.getFileName().resolve(rest);
            existing = existing.getParent();
        }
        return new Path("file", null, existing.toRealPath().resolve(rest).toString());
    }
}
