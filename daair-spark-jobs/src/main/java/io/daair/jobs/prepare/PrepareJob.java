package io.daair.jobs.prepare;

import io.daair.data.UserPaths;
import io.daair.data.datasets.AllInOneMix;
import io.daair.data.datasets.DatasetReader;
import io.daair.data.datasets.DatasetSource;
import io.daair.data.datasets.Sample;
import io.daair.data.degrade.Degradation;
import io.daair.data.fs.InFlightPaths;
import io.daair.data.image.ImageStore;
import io.daair.data.patch.PatchMaker;
import io.daair.data.patch.PatchRecord;
import io.daair.data.patch.PatchSchema;
import io.daair.data.patch.PatchSpec;
import io.daair.jobs.cli.UserException;
import io.daair.jobs.model.HadoopConf;
import io.daair.jobs.spark.ProgressTimer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * {@code daair prepare}: lists the datasets' images on the driver (paths only), mixes them per the protocol,
 * parallelises the sample list, reads/degrades/crops on the executors ({@link PatchMaker}), and writes the
 * patches with Spark SQL as Parquet ({@link PatchSchema}, partitioned by degradation, zstd).
 *
 * <p>Atomic output: the job writes to a hidden sibling {@code .<name>.tmp-<uuid>} and renames it to the target
 * only after Spark committed every file (and its {@code _SUCCESS} marker); a failed job deletes the temporary
 * folder, so no half dataset ever appears under the target name. (On S3A a rename is a copy, visible object by
 * object while it runs: a reader that may race with {@code prepare} there should require {@code _SUCCESS}.)
 *
 * <p>{@code overwrite} replaces only an earlier patch set, never an input folder ({@link PatchSetFolder}), and the
 * earlier set stays until the new one is complete.
 *
 * <p>Unreadable images are recorded and skipped, not fatal: every failed sample is a row of the output's
 * {@code _failures.tsv}; the console shows their count and a few examples. A progress line (samples
 * done, patches written, rate) goes to the progress sink every few seconds; counts come from task-level
 * accumulators, so they move as tasks finish and may over-count a retried task.
 */
public final class PrepareJob {

    /** How many failed files the console and the result show as examples (all are in the failure list). */
    public static final int EXAMPLE_FAILURES = 3;

    private static final long PROGRESS_SECONDS = 5;

    private PrepareJob() {}

    /** Runs the job; {@code progress} receives the progress lines (from a driver thread). */
    public static PrepareResult run(SparkSession spark, PrepareSpec spec, Consumer<String> progress)
            throws IOException {
        long start = System.nanoTime();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        ImageStore store = new ImageStore(jsc.hadoopConfiguration(), spec.maxPixels());
        Path target = UserPaths.parse("daair.data.prepare.output", spec.output());
        FileSystem fs = store.fileSystem(target);
        PatchSetFolder.checkReplaceable(fs, target, inputFolders(spec), spec.overwrite());

        List<Sample> samples = listSamples(store, spec);
        int partitions = spec.partitions() > 0
                ? spec.partitions()
                : Math.max(jsc.defaultParallelism(), (samples.size() + 15) / 16);
        progress.accept("prepare: " + samples.size() + " samples " + AllInOneMix.counts(samples) + " in " + partitions
                + " partitions -> " + target);

        LongAccumulator done = jsc.sc().longAccumulator("daair.prepare.samples");
        LongAccumulator written = jsc.sc().longAccumulator("daair.prepare.patches");
        CollectionAccumulator<String> failures = jsc.sc().collectionAccumulator("daair.prepare.failures");
        HadoopConf conf = new HadoopConf(jsc.hadoopConfiguration());
        PatchSpec patchSpec = spec.patches();
        long maxPixels = spec.maxPixels();
        JavaRDD<Row> rows = jsc.parallelize(samples, partitions)
                .mapPartitions(it -> cut(it, conf, patchSpec, maxPixels, done, written, failures));

        Path tmp = PatchSetFolder.sibling(target, "tmp");
        InFlightPaths.add(fs, tmp);
        ProgressTimer ticker = new ProgressTimer(
                "daair-prepare-progress",
                PROGRESS_SECONDS,
                () -> progress.accept(progressLine(done.value(), samples.size(), written.value(), start)));
        spark.sparkContext().setJobGroup("daair-prepare", "daair prepare -> " + target, false);
        List<String> failed;
        try {
            Dataset<Row> frame = spark.createDataFrame(rows, PatchRowCodec.SCHEMA);
            frame.write()
                    .mode(SaveMode.ErrorIfExists)
                    .option("compression", PatchSchema.COMPRESSION)
                    .partitionBy(PatchSchema.PARTITION)
                    .parquet(tmp.toString());
            failed = new ArrayList<>(failures.value());
            failed.sort(null);
            if (written.value() == 0) {
                throw UserException.badInput("no patches written: every one of the " + samples.size()
                        + " samples failed, e.g. " + examples(failed));
            }
            PatchSetFolder.finish(fs, tmp, failed);
            PatchSetFolder.swapIn(fs, tmp, target);
        } finally {
            ticker.close();
            spark.sparkContext().clearJobGroup();
            if (fs.exists(tmp)) {
                fs.delete(tmp, true);
            }
            InFlightPaths.remove(tmp);
        }
        progress.accept(progressLine(done.value(), samples.size(), written.value(), start));

        Map<Degradation, Long> perDegradation = countPerDegradation(spark, target);
        long patches =
                perDegradation.values().stream().mapToLong(Long::longValue).sum();
        String failuresFile = new Path(target, PatchSetFolder.FAILURES).toString();
        PrepareResult result = new PrepareResult(
                target.toString(),
                samples.size(),
                failed.size(),
                examples(failed),
                failuresFile,
                patches,
                perDegradation,
                fs.getContentSummary(target).getLength(),
                (System.nanoTime() - start) / 1e9);
        if (!failed.isEmpty()) {
            progress.accept("prepare: " + failed.size() + " samples failed (of "
                    + failed.stream().map(FailureRow::path).distinct().count() + " files), e.g.:");
            result.failures().forEach(f -> progress.accept("  " + f));
            progress.accept("prepare: every failure is listed in " + failuresFile);
        }
        return result;
    }

    /** "path: reason" of the first failures, one per file. */
    private static List<String> examples(List<String> failureRows) {
        Map<String, String> byPath = new java.util.LinkedHashMap<>();
        for (String row : failureRows) {
            byPath.putIfAbsent(FailureRow.path(row), FailureRow.example(row));
        }
        return byPath.values().stream().limit(EXAMPLE_FAILURES).toList();
    }

    /** The folders {@code spec} reads from, which its output must never replace. */
    private static List<String> inputFolders(PrepareSpec spec) {
        List<String> folders = new ArrayList<>();
        for (DatasetSource source : spec.sources()) {
            folders.add(source.root());
            if (source.cleanRoot() != null) {
                folders.add(source.cleanRoot());
            }
        }
        return folders;
    }

    /**
     * Every source's samples with the protocol's repeats, sorted by image path so that each task decodes an
     * image once for all its repeats (the written order does not matter: training shuffles). Runs on the
     * driver; paths only.
     */
    static List<Sample> listSamples(ImageStore store, PrepareSpec spec) throws IOException {
        DatasetReader reader = new DatasetReader(store);
        List<Sample> all = new ArrayList<>();
        for (DatasetSource source : spec.sources()) {
            all.addAll(reader.read(source));
        }
        List<Sample> mixed = new ArrayList<>(
                AllInOneMix.expand(all, spec.mix(), spec.patches().seed()));
        mixed.sort(Comparator.comparing(Sample::cleanPath).thenComparing(Sample::key));
        return mixed;
    }

    /** Executor side: the patch rows of a partition's samples; a failing sample is recorded and skipped. */
    private static Iterator<Row> cut(
            Iterator<Sample> samples,
            HadoopConf conf,
            PatchSpec spec,
            long maxPixels,
            LongAccumulator done,
            LongAccumulator written,
            CollectionAccumulator<String> failures) {
        PatchMaker maker = new PatchMaker(new ImageStore(conf.get(), maxPixels), spec);
        return new Iterator<>() {
            private Iterator<PatchRecord> current = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && samples.hasNext()) {
                    Sample s = samples.next();
                    try {
                        List<PatchRecord> patches = maker.make(s);
                        written.add(patches.size());
                        current = patches.iterator();
                    } catch (IOException | IllegalArgumentException e) {
                        failures.add(FailureRow.of(s, e));
                    }
                    done.add(1);
                }
                return current.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return PatchRowCodec.toRow(current.next());
            }
        };
    }

    private static Map<Degradation, Long> countPerDegradation(SparkSession spark, Path target) {
        Map<Degradation, Long> out = new EnumMap<>(Degradation.class);
        for (Row r :
                spark.read().parquet(target.toString()).groupBy("label").count().collectAsList()) {
            out.put(Degradation.fromLabel(r.getInt(0)), r.getLong(1));
        }
        return out;
    }

    static String progressLine(long samplesDone, long samples, long patches, long startNanos) {
        double s = (System.nanoTime() - startNanos) / 1e9;
        return String.format(
                "prepare: %d/%d samples done, %d patches written, %.1f patches/s",
                samplesDone, samples, patches, s > 0 ? patches / s : 0.0);
    }
}
