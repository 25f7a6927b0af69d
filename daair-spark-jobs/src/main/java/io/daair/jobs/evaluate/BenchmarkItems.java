package io.daair.jobs.evaluate;

import io.daair.data.datasets.DatasetLayout;
import io.daair.data.datasets.DatasetReader;
import io.daair.data.datasets.DatasetSource;
import io.daair.data.datasets.Sample;
import io.daair.data.degrade.Degradation;
import io.daair.data.degrade.Degraders;
import io.daair.data.patch.PatchSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Lists the images of each {@link Benchmark} on the driver (paths only), through daair-data's dataset readers. */
final class BenchmarkItems {

    private BenchmarkItems() {}

    /** The images of a folder benchmark (every kind but {@code parquet}), in benchmark then id order. */
    static List<EvalItem> list(Benchmark b, DatasetReader reader) throws IOException {
        return switch (b.kind()) {
            case BSD68 -> named(
                    reader.read(new DatasetSource(
                            b.name(),
                            DatasetLayout.CLEAN,
                            b.path(),
                            null,
                            List.of(Degradation.NOISE),
                            DatasetSource.BENCHMARK_SIGMAS)),
                    s -> b.name() + "-s" + Math.round(s.sigma()));
            case RAIN100L -> named(reader.read(DatasetSource.pairs(b.name(), DatasetLayout.RAIN100L, b.path())), b);
            case SOTS_OUTDOOR -> named(reader.read(DatasetSource.pairs(b.name(), DatasetLayout.RESIDE, b.path())), b);
            case GOPRO -> named(reader.read(DatasetSource.pairs(b.name(), DatasetLayout.GOPRO, b.path())), b);
            case LOL_V1 -> named(reader.read(DatasetSource.pairs(b.name(), DatasetLayout.LOL, b.path())), b);
            case PAIRED -> named(
                    reader.read(DatasetSource.paired(b.name(), b.path(), b.cleanPath(), b.degradation())), b);
            case SYNTHETIC -> named(
                    reader.read(new DatasetSource(
                            b.name(),
                            DatasetLayout.CLEAN,
                            b.path(),
                            null,
                            Arrays.asList(Degradation.values()),
                            List.of(Degraders.DEFAULT_SIGMA))),
                    s -> Benchmark.syntheticName(s.degradation()));
            case PARQUET -> throw new IllegalArgumentException("parquet benchmarks are read by Spark: " + b.path());
        };
    }

    /**
     * The patches of a {@code parquet=URI} benchmark, one benchmark per degradation ({@code patches-noise}...),
     * each patch named after its source image and number ({@code photo-p3}).
     */
    static JavaRDD<EvalItem> patches(SparkSession spark, Benchmark b) {
        return spark.read()
                .parquet(b.path())
                .select(
                        PatchSchema.PARTITION,
                        PatchSchema.SOURCE_PATH,
                        PatchSchema.PATCH_INDEX,
                        PatchSchema.CLEAN,
                        PatchSchema.DEGRADED,
                        PatchSchema.WIDTH,
                        PatchSchema.HEIGHT)
                .javaRDD()
                .map(BenchmarkItems::patch);
    }

    private static EvalItem patch(Row r) {
        Degradation d = Degradation.fromId(r.getString(0));
        String source = r.getString(1);
        String name = source.substring(source.lastIndexOf('/') + 1);
        String id = (name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name) + "-p" + r.getInt(2);
        return EvalItem.patch(
                "patches-" + d.id(), id, d, (byte[]) r.get(3), (byte[]) r.get(4), r.getInt(5), r.getInt(6));
    }

    private static List<EvalItem> named(List<Sample> samples, Benchmark b) {
        return named(samples, s -> b.name());
    }

    private static List<EvalItem> named(List<Sample> samples, java.util.function.Function<Sample, String> benchmark) {
        List<EvalItem> out = new ArrayList<>();
        for (Sample s : samples) {
            out.add(EvalItem.of(benchmark.apply(s), s));
        }
        // benchmarks in degradation order (noise levels ascending), images by id
        out.sort(java.util.Comparator.comparing((EvalItem i) -> i.degradation().ordinal())
                .thenComparingDouble(EvalItem::sigma)
                .thenComparing(EvalItem::imageId));
        return out;
    }
}
