package io.daair.jobs.evaluate;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.daair.data.image.ImageCodec;
import io.daair.jobs.cli.UserException;
import io.daair.nn.config.BadNetInputException;
import io.daair.nn.config.NetConfig;
import io.daair.nn.infer.Restorer;
import java.util.ArrayList;
import java.util.List;

/**
 * What an evaluation run does, from {@code daair.evaluate} (see reference.conf for each key). Built and
 * validated on the driver; executors receive only the values they need, never a Config.
 *
 * @param model {@code .safetensors} file, checkpoint {@code round-NNNNNN.ckpt} or training run directory
 * @param benchmarks the benchmarks, parsed ({@link Benchmark#parse})
 * @param report folder of report.json, report.md, report.html
 * @param run training run directory for the training curves, or null
 * @param seed base seed of the synthetic degradations
 * @param tileSize restore images larger than this in tiles
 * @param tileOverlap minimum overlap of tiles
 * @param partitions Spark partitions of the image list; 0: from the number of images
 * @param saveImages also write every restored image under {@code <report>/restored/<benchmark>/}
 * @param maxPixels largest image decoded ({@code daair.data.image.max-pixels}), checked from its header
 * @param fallbackNet the network of a safetensors file without {@code daair.config} metadata ({@code daair.net})
 * @param netGiven whether the settings name the network ({@code daair.net.*} given by --preset, --conf or --set): then
 *     the model must be that network
 */
public record EvaluateSpec(
        String model,
        List<Benchmark> benchmarks,
        String report,
        String run,
        long seed,
        int tileSize,
        int tileOverlap,
        int partitions,
        boolean saveImages,
        long maxPixels,
        NetConfig fallbackNet,
        boolean netGiven) {

    public EvaluateSpec {
        benchmarks = List.copyOf(benchmarks);
    }

    /** Reads and validates {@code daair.evaluate}; an error names the key, the value and its origin. */
    public static EvaluateSpec fromConfig(Config root, boolean netGiven) {
        Config c = root.getConfig("daair.evaluate");
        List<Benchmark> benchmarks = new ArrayList<>();
        for (String arg : c.getStringList("benchmarks")) {
            try {
                benchmarks.add(Benchmark.parse(arg));
            } catch (UserException e) {
                throw new ConfigException.BadValue(
                        c.getValue("benchmarks").origin(), "daair.evaluate.benchmarks", e.getMessage(), e);
            }
        }
        if (benchmarks.isEmpty()) {
            throw new ConfigException.BadValue(
                    c.getValue("benchmarks").origin(),
                    "daair.evaluate.benchmarks",
                    "no benchmark given: add --benchmark NAME=PATH, e.g. --benchmark bsd68=/data/BSD68");
        }
        EvaluateSpec spec = new EvaluateSpec(
                required(c, "model"),
                benchmarks,
                required(c, "report"),
                c.getIsNull("run") ? null : c.getString("run"),
                c.getLong("seed"),
                c.getInt("tile-size"),
                c.getInt("tile-overlap"),
                c.getInt("partitions"),
                c.getBoolean("save-images"),
                ImageCodec.maxPixels(root),
                NetConfig.fromConfig(root),
                netGiven);
        if (spec.partitions < 0) {
            throw new ConfigException.BadValue(
                    c.getValue("partitions").origin(),
                    "daair.evaluate.partitions",
                    "must be >= 0 (0 = from the number of images), got " + spec.partitions);
        }
        try {
            spec.tiling();
        } catch (BadNetInputException e) {
            throw new ConfigException.BadValue(c.origin(), "daair.evaluate.tile-size", e.getMessage(), e);
        }
        return spec;
    }

    /** The restorer's tiling options. */
    public Restorer.Options tiling() {
        return new Restorer.Options(tileSize, tileOverlap);
    }

    private static String required(Config c, String key) {
        if (!c.hasPath(key) || c.getString(key).isBlank()) {
            throw new ConfigException.Missing(
                    c.origin(),
                    "daair.evaluate." + key + " (give it with --" + key + " or --set daair.evaluate." + key + "=...)");
        }
        return c.getString(key);
    }
}
