package io.daair.jobs.restore;

import static org.apache.spark.sql.functions.col;

import io.daair.data.UserPaths;
import io.daair.data.image.ImageStore;
import io.daair.jobs.cli.UserException;
import io.daair.jobs.model.ModelBundle;
import io.daair.jobs.model.ModelLoader;
import io.daair.jobs.spark.OutputFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SerializableWritable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code daair restore}: restores every image under a folder with a trained model and writes the
 * results under the output root with the same relative paths, plus a manifest of every input.
 *
 * <p>On the driver, before any work: the output folder is checked (not the input nor inside it, real paths
 * compared; writable; no foreign {@code _manifest}); the model is read and validated once; the input is listed
 * recursively ({@link InputListing}: path and length, contents never read on the driver), with the optional
 * file-name glob; the list is repartitioned. On the executors ({@link ImageTask}): each task thread
 * builds the network once from the broadcast weights and reuses it; each image is decoded, routed, restored
 * (tiled above the tile size) and written to a temporary name, then renamed. A rerun skips images whose
 * output exists unless {@code overwrite}; a bad image is a {@code failed} manifest row, not a failed job.
 */
public final class RestoreJob {

    /** Images per partition when the partition count is automatic. */
    private static final int IMAGES_PER_PARTITION = 256;

    /**
     * What a run did.
     *
     * @param images inputs listed
     * @param restored images restored and written
     * @param skipped images whose output existed
     * @param failed images that could not be restored (see the manifest's reason column)
     * @param megapixels megapixels restored
     * @param seconds wall time of the run
     * @param manifest the Parquet manifest folder
     * @param manifestCsv the CSV manifest file
     */
    public record Result(
            long images,
            long restored,
            long skipped,
            long failed,
            double megapixels,
            double seconds,
            String manifest,
            String manifestCsv) {

        /** Restored megapixels per second of wall time. */
        public double megapixelsPerSecond() {
            return seconds > 0 ? megapixels / seconds : 0;
        }
    }

    private RestoreJob() {}

    /** Runs the restoration described by {@code spec} on {@code spark}, printing progress to {@code console}. */
    public static Result run(SparkSession spark, RestoreSpec spec, PrintWriter console) throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration conf = jsc.hadoopConfiguration();
        ImageStore store = new ImageStore(conf);
        Path input = qualifiedFolder(spec.input(), conf, "--input");
        Path output = qualify(spec.output(), conf, "--output");
        FileSystem outputFs = store.directFileSystem(output);
        InputGuard guard = InputGuard.of(input, store.directFileSystem(input));
        guard.checkOutputRoot(output, outputFs, spec.output(), spec.input());
        OutputFolder.prepare(output, outputFs, "--output", spec.output());
        Manifest.checkReplaceable(output, outputFs);
        ModelBundle model = ModelLoader.load(spec.model(), spec.fallbackNet(), conf);
        if (spec.netGiven()) {
            ModelLoader.requireNetwork(model, spec.fallbackNet());
        }
        console.println("restore: model " + model.source() + " (" + model.config() + ")");

        jsc.setJobGroup("daair-restore", "daair restore " + input + " -> " + output, false);
        Dataset<Row> listing = spark.createDataFrame(
                InputListing.list(store.directFileSystem(input), input, spec.glob()), InputListing.SCHEMA);
        long total = listing.count();
        if (total == 0) {
            throw UserException.badInput("--input " + input + ": no images found"
                    + (spec.glob().isEmpty()
                            ? " (extensions " + ImageStore.IMAGE_EXTENSIONS + ")"
                            : " matching " + spec.glob()));
        }
        int partitions = spec.partitions() > 0
                ? spec.partitions()
                : (int) Math.max(jsc.defaultParallelism(), Math.min(100_000, ceilDiv(total, IMAGES_PER_PARTITION)));
        console.printf(Locale.ROOT, "restore: %,d images under %s in %d partitions%n", total, input, partitions);

        Broadcast<ModelBundle> modelBroadcast = jsc.broadcast(model);
        Broadcast<SerializableWritable<Configuration>> hadoopBroadcast =
                jsc.broadcast(new SerializableWritable<>(conf));
        ImageTask.Counters counters = new ImageTask.Counters(
                jsc.sc().longAccumulator("restored"),
                jsc.sc().longAccumulator("skipped"),
                jsc.sc().longAccumulator("failed"),
                jsc.sc().longAccumulator("pixels"));
        ImageTask task = new ImageTask(
                new OutputPaths(input.toString(), output.toString(), "png"),
                guard,
                spec.overwrite(),
                spec.sixteenBit(),
                spec.tileSize(),
                spec.tileOverlap(),
                spec.maxPixels(),
                modelBroadcast,
                hadoopBroadcast,
                counters);
        JavaRDD<Row> rows = markSharedTargets(listing, task.paths())
                .javaRDD()
                .repartition(partitions)
                .mapPartitions(task::apply);

        Path manifest;
        double seconds;
        try (Progress progress = new Progress(counters, total, console)) {
            manifest = Manifest.writeParquet(spark.createDataFrame(rows, ManifestRow.SCHEMA), output, conf);
            seconds = progress.seconds();
            progress.print();
        } finally {
            modelBroadcast.destroy();
            hadoopBroadcast.destroy();
        }
        Dataset<Row> written = spark.read().parquet(manifest.toString());
        Path csv = Manifest.writeCsv(written, output, conf);
        Result result = summarise(written, seconds, manifest, csv);
        console.printf(
                Locale.ROOT,
                "restore: %,d restored, %,d skipped, %,d failed of %,d; %.1f MP in %.1f s (%.3f MP/s); manifest %s%n",
                result.restored(),
                result.skipped(),
                result.failed(),
                result.images(),
                result.megapixels(),
                result.seconds(),
                result.megapixelsPerSecond(),
                csv);
        return result;
    }

    /**
     * Adds {@code target} (the output path; null when unsafe or skipped) and {@code sharing} (how many inputs
     * have that target: {@code a.jpg} and {@code a.png} both become {@code a.png}, and neither may silently win).
     */
    static Dataset<Row> markSharedTargets(Dataset<Row> listing, OutputPaths paths) {
        UserDefinedFunction target = functions.udf((UDF1<String, String>) paths::targetOrNull, DataTypes.StringType);
        return listing.withColumn("target", functions.when(col("skip").isNull(), target.apply(col("path"))))
                .withColumn("sharing", functions.count(functions.lit(1)).over(Window.partitionBy("target")));
    }

    private static Result summarise(Dataset<Row> manifest, double seconds, Path parquet, Path csv) {
        Row counts = manifest.agg(
                        functions.count(functions.lit(1)),
                        functions.sum(functions
                                .when(col("status").equalTo(ManifestRow.OK), 1)
                                .otherwise(0)),
                        functions.sum(functions
                                .when(col("status").equalTo(ManifestRow.SKIPPED), 1)
                                .otherwise(0)),
                        functions.sum(functions
                                .when(col("status").equalTo(ManifestRow.FAILED), 1)
                                .otherwise(0)),
                        functions.sum(functions
                                .when(
                                        col("status").equalTo(ManifestRow.OK),
                                        col("width").cast("long").multiply(col("height")))
                                .otherwise(0L)))
                .first();
        return new Result(
                counts.getLong(0),
                counts.getLong(1),
                counts.getLong(2),
                counts.getLong(3),
                counts.getLong(4) / 1e6,
                seconds,
                parquet.toString(),
                csv.toString());
    }

    private static Path qualifiedFolder(String uri, Configuration conf, String option) throws IOException {
        Path p = qualify(uri, conf, option);
        FileSystem fs = p.getFileSystem(conf);
        if (!fs.exists(p)) {
            throw UserException.badState(option + " " + uri + ": no such folder");
        }
        if (!fs.getFileStatus(p).isDirectory()) {
            throw UserException.badInput(option + " " + uri + " is a file: give the folder of the images");
        }
        return p;
    }

    private static Path qualify(String uri, Configuration conf, String option) throws IOException {
        Path p = UserPaths.parse(option, uri);
        return p.getFileSystem(conf).makeQualified(p);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
