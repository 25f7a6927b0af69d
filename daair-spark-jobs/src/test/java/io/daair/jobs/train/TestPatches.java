package io.daair.jobs.train;

import io.daair.data.patch.PatchSchema;
import io.daair.jobs.prepare.PatchRowCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * A small patch set in the layout of {@code daair prepare} ({@link PatchSchema}): smooth random clean
 * patches and a per-label degradation the tiny network can learn (noise, a brightness shift, ...).
 */
final class TestPatches {
    private TestPatches() {}

    private static final String[] IDS = {"noise", "rain", "haze", "blur", "lowlight"};

    /** Writes {@code perLabel} patches of {@code size}x{@code size} for labels 0..labels-1 to {@code uri}. */
    static void write(SparkSession spark, String uri, int labels, int perLabel, int size, long seed) {
        write(spark, uri, labels, perLabel, size, seed, "mem://");
    }

    /** The same patches, their source photos under {@code sourceRoot} (as if prepared from there). */
    static void write(
            SparkSession spark, String uri, int labels, int perLabel, int size, long seed, String sourceRoot) {
        List<Row> rows = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(seed);
        for (int label = 0; label < labels; label++) {
            for (int i = 0; i < perLabel; i++) {
                byte[] clean = new byte[3 * size * size];
                byte[] degraded = new byte[clean.length];
                double fx = random.nextDouble(0.05, 0.3);
                double fy = random.nextDouble(0.05, 0.3);
                for (int c = 0; c < 3; c++) {
                    double phase = random.nextDouble(0, 6.28);
                    for (int y = 0; y < size; y++) {
                        for (int x = 0; x < size; x++) {
                            int k = (c * size + y) * size + x;
                            double v = 0.5 + 0.35 * Math.sin(fx * x + fy * y + phase);
                            double d =
                                    switch (label) {
                                        case 0 -> v + random.nextGaussian() * 0.1;
                                        case 1 -> (x + 2 * y) % 7 == 0 ? 0.95 : v;
                                        case 2 -> 0.6 * v + 0.4 * 0.9;
                                        case 3 -> 0.5 + 0.5 * (v - 0.5);
                                        default -> 0.25 * v;
                                    };
                            clean[k] = (byte) Math.round(255 * clamp(v));
                            degraded[k] = (byte) Math.round(255 * clamp(d));
                        }
                    }
                }
                rows.add(RowFactory.create(
                        "test",
                        sourceRoot + "img" + i + ".png",
                        null,
                        label,
                        "{}",
                        clean,
                        degraded,
                        size,
                        size,
                        seed + 1000L * label + i,
                        i,
                        0,
                        0,
                        0,
                        IDS[label]));
            }
        }
        spark.createDataFrame(rows, PatchRowCodec.SCHEMA)
                .repartition(2)
                .write()
                .partitionBy(PatchSchema.PARTITION)
                .parquet(uri);
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
