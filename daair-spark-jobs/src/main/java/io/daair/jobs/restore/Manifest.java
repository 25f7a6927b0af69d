package io.daair.jobs.restore;

import io.daair.data.fs.InFlightPaths;
import java.io.IOException;
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
 * place, replacing the manifest of an earlier run only when the new one is complete. Names starting with
 * {@code _} are skipped by Spark's and daair's image listings.
 */
public final class Manifest {

    public static final String PARQUET = "_manifest";
    public static final String CSV = "_manifest.csv";

    private Manifest() {}

    /** Writes {@code rows} (schema {@link ManifestRow#SCHEMA}) as Parquet; returns the folder. */
    static Path writeParquet(Dataset<Row> rows, Path outputRoot, Configuration conf) throws IOException {
        Path target = new Path(outputRoot, PARQUET);
        Path tmp = new Path(outputRoot, "." + PARQUET + ".tmp-" + UUID.randomUUID());
        InFlightPaths.add(tmp.getFileSystem(conf), tmp);
        rows.write().mode(SaveMode.ErrorIfExists).parquet(tmp.toString());
        replace(tmp, target, conf);
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
        replace(tmpFile, target, conf);
        InFlightPaths.remove(tmpFile);
        return target;
    }

    /** Renames {@code tmp} to {@code target}, deleting an existing {@code target} first. */
    private static void replace(Path tmp, Path target, Configuration conf) throws IOException {
        FileSystem fs = target.getFileSystem(conf);
        if (fs.exists(target) && !fs.delete(target, true)) {
            throw new IOException("cannot replace the old manifest " + target);
        }
        rename(fs, tmp, target);
    }

    private static void rename(FileSystem fs, Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw new IOException("cannot rename " + from + " to " + to);
        }
    }
}
