package io.daair.jobs.spark;

import io.daair.jobs.cli.UserException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** A job's output folder, checked before any work: a folder (created if missing) the job can write. */
public final class OutputFolder {

    private OutputFolder() {}

    /**
     * Creates {@code output} if needed and writes and deletes a probe file in it; fails naming {@code option}
     * and {@code given}, its value as the user wrote it (e.g. {@code --output s3a://b/out}), when it is a file
     * or cannot be written.
     */
    public static void prepare(Path output, FileSystem fs, String option, String given) {
        try {
            if (fs.exists(output) && !fs.getFileStatus(output).isDirectory()) {
                throw UserException.badInput(option + " " + given + " is a file: give a folder");
            }
            if (!fs.mkdirs(output)) {
                throw new IOException("cannot create the folder");
            }
            Path probe = new Path(output, ".daair-write-probe-" + UUID.randomUUID());
            try (OutputStream out = fs.create(probe, false)) {
                out.write(0);
            }
            fs.delete(probe, false);
        } catch (IOException e) {
            throw UserException.badInput(
                    option + " " + given + " cannot be written (" + e.getMessage()
                            + "): give a folder you may write to",
                    e);
        }
    }
}
