package io.daair.jobs.restore;

import io.daair.data.fs.InFlightPaths;
import io.daair.jobs.cli.UserException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * The restoration manifest under the output root: {@code _manifest/} (Parquet, one file per partition) and
 * {@code _manifest.csv} (one file with a header). Both are written under a temporary name and renamed into
 * place, replacing the manifest of an earlier run only when the new one is complete. Only a manifest that
 * restore wrote is ever replaced: the Parquet folder holds a marker file {@value #MARKER} (Spark's Parquet
 * reader skips names starting with {@code _}), the CSV file starts with the manifest's header; anything else
 * under those names is refused before the run starts, and left alone.
 */
public final class Manifest {

    public static final String PARQUET = "_manifest";
    public static final String CSV = "_manifest.csv";

    /** The file that marks a {@code _manifest/} folder as written by restore. */
    static final String MARKER = "_DAAIR_RESTORE_MANIFEST";

    /** The first line of the CSV manifest. */
    static final String CSV_HEADER = String.join(",", ManifestRow.SCHEMA.fieldNames());

    private Manifest() {}

    /**
     * Fails when {@code outputRoot} holds a {@code _manifest/} or {@code _manifest.csv} that restore did not
     * write, naming it: a run would have to delete it to put its own manifest there.
     */
    static void checkReplaceable(Path outputRoot, FileSystem fs) throws IOException {
        Path parquet = new Path(outputRoot, PARQUET);
        if (fs.exists(parquet) && !isOurParquet(parquet, fs)) {
            throw UserException.badInput(notOurs(parquet, "it has no " + MARKER + " file"));
        }
        Path csv = new Path(outputRoot, CSV);
        if (fs.exists(csv) && !isOurCsv(csv, fs)) {
            throw UserException.badInput(notOurs(csv, "its first line is not " + CSV_HEADER));
        }
    }

    private static String notOurs(Path manifest, String why) {
        return manifest + " exists and was not written by daair restore (" + why + "): restore never deletes"
                + " it; move it away or give another --output";
    }

    private static boolean isOurParquet(Path folder, FileSystem fs) throws IOException {
        return fs.exists(folder) && fs.getFileStatus(folder).isDirectory() && fs.exists(new Path(folder, MARKER));
    }

    private static boolean isOurCsv(Path file, FileSystem fs) throws IOException {
        if (!fs.exists(file) || !fs.getFileStatus(file).isFile()) {
            return false;
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            return CSV_HEADER.equals(in.readLine());
        }
    }

    /** Writes {@code rows} (schema {@link ManifestRow#SCHEMA}) as Parquet; returns the folder. */
    static Path writeParquet(Dataset<Row> rows, Path outputRoot, Configuration conf) throws IOException {
        Path target = new Path(outputRoot, PARQUET);
        Path tmp = new Path(outputRoot, "." + PARQUET + ".tmp-" + UUID.randomUUID());
        InFlightPaths.add(tmp.getFileSystem(conf), tmp);
        rows.write().mode(SaveMode.ErrorIfExists).parquet(tmp.toString());
        FileSystem fs = tmp.getFileSystem(conf);
        fs.create(new Path(tmp, MARKER), false).close();
        replace(tmp, target, fs, isOurParquet(target, fs));
        InFlightPaths.remove(tmp);
        return target;
    }

    /** Writes {@code rows} as one CSV file with a header (RFC 4180 quoting); returns the file. */
    static Path writeCsv(Dataset<Row> rows, Path outputRoot, Configuration conf) throws IOException {
        Path target = new Path(outputRoot, CSV);
        Path tmpDir = new Path(outputRoot, "." + CSV + ".tmp-" + UUID.randomUUID());
        InFlightPaths.add(tmpDir.getFileSystem(conf), tmpDir);
        rows.coalesce(1)
                .write()
                .mode(SaveMode.ErrorIfExists)
                .option("header", "true")
                .option("escape", "\"")
                .csv(tmpDir.toString());
        FileSystem fs = tmpDir.getFileSystem(conf);
        Path part = null;
        for (FileStatus s : fs.listStatus(tmpDir)) {
            if (s.getPath().getName().startsWith("part-")) {
                part = s.getPath();
            }
        }
        if (part == null) {
            throw new IOException("Spark wrote no CSV part file under " + tmpDir);
        }
        Path tmpFile = new Path(outputRoot, "." + CSV + ".tmp-" + UUID.randomUUID());
        InFlightPaths.add(fs, tmpFile);
        rename(fs, part, tmpFile);
        fs.delete(tmpDir, true);
        InFlightPaths.remove(tmpDir);
        replace(tmpFile, target, fs, isOurCsv(target, fs));
        InFlightPaths.remove(tmpFile);
        return target;
    }

    /** Renames {@code tmp} to {@code target}, deleting an existing {@code target} first if restore wrote it. */
    private static void replace(Path tmp, Path target, FileSystem fs, boolean ours) throws IOException {
        if (fs.exists(target)) {
            if (!ours) {
                throw new IOException(notOurs(target, "it appeared during the run") + "; the new manifest is " + tmp);
            }
            if (!fs.delete(target, true)) {
                throw new IOException("cannot replace the old manifest " + target);
            }
        }
        rename(fs, tmp, target);
    }

    private static void rename(FileSystem fs, Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw new IOException("cannot rename " + from + " to " + to);
        }
    }
}
