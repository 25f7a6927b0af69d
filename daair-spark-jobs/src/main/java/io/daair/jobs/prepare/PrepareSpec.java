package io.daair.jobs.prepare;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.daair.data.datasets.DatasetSource;
import io.daair.data.datasets.MixSpec;
import io.daair.data.image.ImageCodec;
import io.daair.data.patch.PatchSpec;
import io.daair.jobs.cli.UserException;
import java.io.Serializable;
import java.util.List;

/**
 * What {@code daair prepare} does, read once on the driver from {@code daair.data} (daair-data's
 * reference.conf documents each key): the datasets, the mix, the patch spec, and {@code daair.data.prepare}'s
 * output folder, partition count and overwrite flag. Only the validated records travel to executors.
 *
 * @param sources the datasets to read ({@code daair.data.sources})
 * @param mix repeat factors of the degradations ({@code daair.data.mix})
 * @param patches crop size, patches per image, seed, flips ({@code daair.data.patch})
 * @param output the Parquet folder to create (file://, hdfs://, s3a://)
 * @param partitions Spark partitions of the sample list; 0 picks {@code max(parallelism, samples / 16)}
 * @param overwrite replace an existing output folder (else it is an error)
 * @param maxPixels largest image decoded ({@code daair.data.image.max-pixels}), checked from its header
 */
public record PrepareSpec(
        List<DatasetSource> sources,
        MixSpec mix,
        PatchSpec patches,
        String output,
        int partitions,
        boolean overwrite,
        long maxPixels)
        implements Serializable {

    public PrepareSpec {
        sources = List.copyOf(sources);
        if (sources.isEmpty()) {
            throw UserException.badInput("no datasets to prepare: set daair.data.sources (or --input)");
        }
        if (output == null || output.isBlank()) {
            throw UserException.badInput("no output folder: set daair.data.prepare.output (or --output)");
        }
        if (partitions < 0) {
            throw UserException.badInput("partitions must be >= 0 (0 = automatic), got " + partitions);
        }
    }

    /** Reads {@code daair.data.{sources, mix, patch, prepare}}; errors name the key and its origin. */
    public static PrepareSpec fromConfig(Config root) {
        Config data = root.getConfig("daair.data");
        List<DatasetSource> sources = data.getConfigList("sources").stream()
                .map(DatasetSource::fromConfig)
                .toList();
        if (sources.isEmpty()) {
            throw new ConfigException.BadValue(
                    data.origin(), "daair.data.sources", "no datasets to prepare: list at least one source");
        }
        Config prepare = data.getConfig("prepare");
        if (!prepare.hasPath("output") || prepare.getString("output").isBlank()) {
            throw new ConfigException.BadValue(prepare.origin(), "daair.data.prepare.output", "is required");
        }
        int partitions = prepare.getInt("partitions");
        if (partitions < 0) {
            throw new ConfigException.BadValue(
                    prepare.origin(), "daair.data.prepare.partitions", "must be >= 0, got " + partitions);
        }
        return new PrepareSpec(
                sources,
                MixSpec.fromConfig(data.getConfig("mix")),
                PatchSpec.fromConfig(root),
                prepare.getString("output"),
                partitions,
                prepare.getBoolean("overwrite"),
                ImageCodec.maxPixels(root));
    }
}
