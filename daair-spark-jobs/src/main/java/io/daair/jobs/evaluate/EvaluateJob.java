package io.daair.jobs.evaluate;

import io.daair.data.datasets.DatasetReader;
import io.daair.data.image.ImageStore;
import io.daair.jobs.cli.UserException;
import io.daair.jobs.model.ModelBundle;
import io.daair.jobs.model.ModelLoader;
import io.daair.jobs.report.EvaluationReport;
import io.daair.jobs.report.FailedImage;
import io.daair.jobs.report.Gallery;
import io.daair.jobs.report.ImageResult;
import io.daair.jobs.report.ReportWriter;
import io.daair.jobs.report.Triptych;
import io.daair.jobs.spark.ProgressTimer;
import io.daair.jobs.train.RoundMetrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SerializableWritable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * {@code daair evaluate}: restores every image of the benchmarks on the executors, measures input
 * and output PSNR/SSIM against the clean images there (daair-data's {@code Psnr}, {@code Ssim}: scikit-image's
 * definitions on full RGB images in [0, 1]), collects the per-image results and the router's decisions, and
 * writes the report (report.json, report.md, report.html with a best/median/worst gallery per benchmark and
 * the training curves of {@code --run}).
 *
 * <p>An image that cannot be evaluated (unreadable, empty, truncated, smaller than SSIM's 11x11 window, a pair of
 * different sizes) is a row of the report's failures, not a failed run; the rest is evaluated.
 *
 * <p>Synthetic inputs (BSD68's noise, {@code synthetic=}) are made on the executors with each image's own seed
 * derived from {@code seed} and the image's key, so every run and every cluster sees the same inputs.
 */
public final class EvaluateJob {

    /** Seconds between two progress lines (counts grow as Spark tasks finish). */
    private static final long PROGRESS_SECONDS = 10;

    /** Failed images listed on the console (the report lists every one). */
    private static final int LISTED_FAILURES = 10;

    /** Images per partition when the partition count is automatic. */
    private static final int IMAGES_PER_PARTITION = 8;

    /**
     * What a run produced.
     *
     * @param report every figure (per image, per benchmark, routing, training curves)
     * @param reportHtml the written report.html (report.json and report.md beside it)
     * @param seconds wall time of the evaluation
     */
    public record Result(EvaluationReport report, String reportHtml, double seconds) {}

    private EvaluateJob() {}

    /** Evaluates the model of {@code spec} on its benchmarks and writes the report; the report path is printed last. */
    @SuppressWarnings("try") // the progress timer prints for its scope and is never referenced
    public static Result run(SparkSession spark, EvaluateSpec spec, PrintWriter console) throws IOException {
        long start = System.nanoTime();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration conf = jsc.hadoopConfiguration();
        ReportWriter.checkFolder(new Path(spec.report()), conf, spec.report());
        ModelBundle model = ModelLoader.load(spec.model(), spec.fallbackNet(), conf);
        if (spec.netGiven()) {
            ModelLoader.requireNetwork(model, spec.fallbackNet());
        }
        console.println("evaluate: model " + model.source() + " (" + model.config() + ")");
        jsc.setJobGroup("daair-evaluate", "daair evaluate " + model.source(), false);

        List<EvalItem> items = new ArrayList<>();
        DatasetReader reader = new DatasetReader(new ImageStore(conf, spec.maxPixels()));
        List<JavaRDD<EvalItem>> parquet = new ArrayList<>();
        for (Benchmark b : spec.benchmarks()) {
            if (b.kind() == Benchmark.Kind.PARQUET) {
                parquet.add(BenchmarkItems.patches(spark, b));
            } else {
                items.addAll(BenchmarkItems.list(b, reader));
            }
        }
        checkUniqueBenchmarks(items);
        int partitions = spec.partitions() > 0
                ? spec.partitions()
                : Math.max(jsc.defaultParallelism(), (items.size() + IMAGES_PER_PARTITION - 1) / IMAGES_PER_PARTITION);
        JavaRDD<EvalItem> all = jsc.parallelize(items, partitions);
        for (JavaRDD<EvalItem> p : parquet) {
            all = all.union(p.repartition(partitions));
        }
        console.printf(
                Locale.ROOT,
                "evaluate: %,d images in %d benchmark argument(s)%s%n",
                items.size(),
                spec.benchmarks().size(),
                parquet.isEmpty() ? "" : " (+ Parquet patches)");

        Broadcast<ModelBundle> modelBroadcast = jsc.broadcast(model);
        Broadcast<SerializableWritable<Configuration>> hadoopBroadcast =
                jsc.broadcast(new SerializableWritable<>(conf));
        String imagesRoot = spec.saveImages() ? new Path(spec.report(), "restored").toString() : null;
        LongAccumulator imagesDone = jsc.sc().longAccumulator("daair.evaluate.images");
        LongAccumulator pixelsDone = jsc.sc().longAccumulator("daair.evaluate.pixels");
        CollectionAccumulator<FailedImage> failures = jsc.sc().collectionAccumulator("daair.evaluate.failures");
        EvalTask task = new EvalTask(
                modelBroadcast,
                hadoopBroadcast,
                spec.tileSize(),
                spec.tileOverlap(),
                spec.seed(),
                spec.maxPixels(),
                imagesRoot,
                imagesDone,
                pixelsDone,
                failures);
        long evalStart = System.nanoTime();
        Runnable printProgress = () -> console.println(progressLine(
                imagesDone.value(),
                parquet.isEmpty() ? items.size() : -1,
                pixelsDone.value(),
                (System.nanoTime() - evalStart) / 1e9));
        List<ImageResult> results;
        List<Triptych> gallery;
        try {
            try (ProgressTimer progress =
                    new ProgressTimer("daair-evaluate-progress", PROGRESS_SECONDS, printProgress)) {
                results = order(all.mapPartitions(task::evaluate).collect(), items);
            }
            printProgress.run();
            gallery = gallery(jsc, task, all, results);
        } finally {
            modelBroadcast.destroy();
            hadoopBroadcast.destroy();
        }
        List<FailedImage> failed = distinctFailures(failures.value());
        if (results.isEmpty()) {
            throw UserException.badInput("none of the " + failed.size() + " images could be evaluated, e.g. "
                    + failed.get(0).file() + ": " + failed.get(0).reason());
        }
        List<RoundMetrics> training = spec.run() == null ? List.of() : RoundMetrics.read(new Path(spec.run()), conf);
        EvaluationReport report = EvaluationReport.of(model.source(), model.experts(), results, training)
                .withFailures(failed);
        Path html = ReportWriter.write(report, gallery, new Path(spec.report()), conf);
        double seconds = (System.nanoTime() - start) / 1e9;
        ConsoleTable.print(report, console);
        printFailures(failed, console);
        console.printf(Locale.ROOT, "evaluate: %,d images in %.1f s%n", results.size(), seconds);
        console.println("evaluate: report " + html);
        console.flush();
        return new Result(report, html.toString(), seconds);
    }

    /** The failed images, each once (a retried task reports its failures again), by benchmark and image. */
    private static List<FailedImage> distinctFailures(List<FailedImage> reported) {
        Map<String, FailedImage> byKey = new java.util.TreeMap<>();
        for (FailedImage f : reported) {
            byKey.putIfAbsent(f.benchmark() + "\u0000" + f.imageId(), f);
        }
        return List.copyOf(byKey.values());
    }

    private static void printFailures(List<FailedImage> failed, PrintWriter console) {
        if (failed.isEmpty()) {
            return;
        }
        console.printf(Locale.ROOT, "evaluate: %,d images could not be evaluated (in no figure):%n", failed.size());
        failed.stream()
                .limit(LISTED_FAILURES)
                .forEach(f -> console.println(
                        "  " + f.benchmark() + "/" + f.imageId() + ": " + f.file() + ": " + f.reason()));
        if (failed.size() > LISTED_FAILURES) {
            console.printf(
                    Locale.ROOT, "  ... and %,d more: all are listed in the report%n", failed.size() - LISTED_FAILURES);
        }
    }

    /** Best, median and worst image of each benchmark as thumbnails, restored again on the executors. */
    private static List<Triptych> gallery(
            JavaSparkContext jsc, EvalTask task, JavaRDD<EvalItem> all, List<ImageResult> results) {
        List<Gallery.Pick> picks = Gallery.select(results);
        Set<String> wanted = picks.stream().map(p -> key(p.result())).collect(Collectors.toSet());
        Map<String, Gallery.Pick> byKey =
                picks.stream().collect(Collectors.toMap(p -> key(p.result()), Function.identity()));
        Map<String, Triptych> made = all.filter(i -> wanted.contains(key(i)))
                .mapToPair(i -> new Tuple2<>(key(i), task.triptych(i, byKey.get(key(i)))))
                .collectAsMap();
        return picks.stream().map(p -> made.get(key(p.result()))).toList();
    }

    private static String key(ImageResult r) {
        return r.benchmark() + "\u0000" + r.imageId();
    }

    private static String key(EvalItem i) {
        return i.benchmark() + "\u0000" + i.imageId();
    }

    /** Results in the order of the listed items (benchmark arguments' order), Parquet patches after. */
    private static List<ImageResult> order(List<ImageResult> results, List<EvalItem> items) {
        List<String> benchmarkOrder = new ArrayList<>(
                new LinkedHashSet<>(items.stream().map(EvalItem::benchmark).toList()));
        List<ImageResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparingInt((ImageResult r) -> {
                    int i = benchmarkOrder.indexOf(r.benchmark());
                    return i < 0 ? Integer.MAX_VALUE : i;
                })
                .thenComparing(ImageResult::benchmark)
                .thenComparing(ImageResult::imageId));
        return sorted;
    }

    /** "evaluate: 24/68 images done, 0.021 MP/s"; {@code total} < 0 when unknown (Parquet patches). */
    static String progressLine(long done, long total, long pixels, double seconds) {
        return String.format(
                Locale.ROOT,
                "evaluate: %,d%s images done, %.3f MP/s",
                done,
                total < 0 ? "" : String.format(Locale.ROOT, "/%,d", total),
                seconds > 0 ? pixels / 1e6 / seconds : 0.0);
    }

    private static void checkUniqueBenchmarks(List<EvalItem> items) {
        Set<String> seen = new java.util.HashSet<>();
        for (EvalItem i : items) {
            if (!seen.add(key(i))) {
                throw UserException.badInput("benchmark " + i.benchmark() + " lists image " + i.imageId()
                        + " twice: give each --benchmark once (paired=NAME:... names must differ)");
            }
        }
    }
}
