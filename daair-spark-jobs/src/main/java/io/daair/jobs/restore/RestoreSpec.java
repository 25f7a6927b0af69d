package io.daair.jobs.restore;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.daair.data.image.ImageCodec;
import io.daair.nn.config.BadNetInputException;
import io.daair.nn.config.NetConfig;
import io.daair.nn.infer.Restorer;
import java.util.List;

/**
 * What a restoration run does, from {@code daair.restore} (see reference.conf for each key). Built and
 * validated on the driver; executors receive only the values they need, never a Config.
 *
 * @param model {@code .safetensors} file, checkpoint {@code round-NNNNNN.ckpt} or training run directory
 * @param input folder of images (file://, hdfs://, s3a://), read recursively
 * @param output folder the restored images and the manifest are written to
 * @param glob file-name glob (e.g. {@code *.jpg}); empty: every image extension daair reads
 * @param overwrite restore again images whose output exists (else they are skipped)
 * @param format {@code png} (8-bit) or {@code png16}
 * @param tileSize images larger than this (after padding to a multiple of 8) are restored in tiles
 * @param tileOverlap minimum overlap of neighbouring tiles
 * @param partitions Spark partitions of the image list; 0: chosen from the number of images
 * @param maxPixels largest input image decoded ({@code daair.data.image.max-pixels})
 * @param fallbackNet the network of a safetensors file without {@code daair.config} metadata ({@code daair.net})
 * @param netGiven whether the settings name the network ({@code daair.net.*} given by --preset, --conf or --set): then
 *     the model must be that network
 */
public record RestoreSpec(
        String model,
        String input,
        String output,
        String glob,
        boolean overwrite,
        String format,
        int tileSize,
        int tileOverlap,
        int partitions,
        long maxPixels,
        NetConfig fallbackNet,
        boolean netGiven) {

    /** The output formats. */
    public static final List<String> FORMATS = List.of("png", "png16");

    /** Reads and validates {@code daair.restore}; an error names the key, the value and its origin. */
    public static RestoreSpec fromConfig(Config root, boolean netGiven) {
        Config c = root.getConfig("daair.restore");
        RestoreSpec spec = new RestoreSpec(
                required(c, "model"),
                required(c, "input"),
                required(c, "output"),
                c.getString("glob"),
                c.getBoolean("overwrite"),
                c.getString("format"),
                c.getInt("tile-size"),
                c.getInt("tile-overlap"),
                c.getInt("partitions"),
                ImageCodec.maxPixels(root),
                NetConfig.fromConfig(root),
                netGiven);
        check(c, "format", FORMATS.contains(spec.format), "must be one of " + FORMATS);
        check(c, "partitions", spec.partitions >= 0, "must be >= 0 (0 = from the number of images)");
        try {
            spec.tiling();
        } catch (BadNetInputException e) {
            throw new ConfigException.BadValue(c.origin(), "tile-size/tile-overlap", e.getMessage(), e);
        }
        return spec;
    }

    /** The restorer's tiling options. */
    public Restorer.Options tiling() {
        return new Restorer.Options(tileSize, tileOverlap);
    }

    /** Whether outputs are 16-bit PNG. */
    public boolean sixteenBit() {
        return format.equals("png16");
    }

    static String required(Config c, String key) {
        if (!c.hasPath(key) || c.getString(key).isBlank()) {
            throw new ConfigException.Missing(
                    c.origin(),
                    "daair.restore." + key + " (give it as an option or with --set restore." + key + "=...)");
        }
        return c.getString(key);
    }

    private static void check(Config c, String key, boolean ok, String message) {
        if (!ok) {
            throw new ConfigException.BadValue(
                    c.getValue(key).origin(),
                    "daair.restore." + key,
                    "'" + c.getValue(key).unwrapped() + "' " + message);
        }
    }
}
