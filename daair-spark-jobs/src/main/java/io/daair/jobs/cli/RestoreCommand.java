package io.daair.jobs.cli;

import io.daair.jobs.restore.RestoreJob;
import io.daair.jobs.restore.RestoreSpec;
import io.daair.jobs.spark.SparkSessions;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code daair restore}: Restore every image under a folder (file, hdfs, s3a) with a trained model. */
@Command(
        name = "restore",
        mixinStandardHelpOptions = true,
        description = "Restore every image under a folder (file, hdfs, s3a) with a trained model.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  daair restore --model model.safetensors --input s3a://bucket/in --output s3a://bucket/out",
            "  daair restore --model hdfs:///runs/r1 --input hdfs:///photos --output hdfs:///restored --glob '*.jpg'",
            "  daair restore --model weights.safetensors --preset small --degradations 3 --input in --output out",
            "Outputs keep the inputs' relative paths (PNG); _manifest/ (Parquet) and _manifest.csv list every input",
            "(status ok, skipped or failed, with the reason). Hidden files (names starting with '.') are skipped.",
            "The output may not be the input folder, nor inside it (symbolic links resolved).",
            "",
            "Exit codes: 0 every image restored or skipped, 4 some images failed (their count and the manifest",
            "are printed), 2 bad input or configuration (nothing restored), 3 bad state, 1 internal error."
        })
final class RestoreCommand extends BaseCommand {

    @Option(names = "--model", paramLabel = "M", description = ".safetensors file, checkpoint .ckpt or run directory")
    String model;

    @Option(names = "--input", paramLabel = "URI", description = "Folder of images, read recursively")
    String input;

    @Option(names = "--output", paramLabel = "URI", description = "Folder for the restored images and the manifest")
    String output;

    @Option(names = "--glob", paramLabel = "GLOB", description = "Only files whose name matches, e.g. '*.jpg'")
    String glob;

    @Option(names = "--overwrite", description = "Restore again images whose output exists (default: skip them)")
    Boolean overwrite;

    @Option(names = "--format", paramLabel = "F", description = "png (8-bit, default) or png16")
    String format;

    @Option(
            names = "--tile-size",
            paramLabel = "PX",
            description = "Restore larger images in tiles of at most this size")
    Integer tileSize;

    @Option(names = "--preset", description = "Network of a .safetensors file without metadata: tiny, small, paper")
    String preset;

    @Option(names = "--degradations", description = "Network of a .safetensors file without metadata: 3 or 5")
    Integer degradations;

    @Override
    protected List<String> optionOverrides() {
        List<String> o = overrides();
        putIfSet(o, "daair.restore.model", model);
        putIfSet(o, "daair.restore.input", input);
        putIfSet(o, "daair.restore.output", output);
        putIfSet(o, "daair.restore.glob", glob);
        putIfSet(o, "daair.restore.overwrite", overwrite);
        putIfSet(o, "daair.restore.format", format);
        putIfSet(o, "daair.restore.tile-size", tileSize);
        putIfSet(o, "daair.net.preset", preset);
        putIfSet(o, "daair.net.degradations", degradations);
        return o;
    }

    @Override
    protected void run() throws Exception {
        RestoreSpec spec =
                RestoreSpec.fromConfig(settings().config(), settings().given(SettingsAgreement.NET_SETTINGS));
        RestoreJob.Result result = RestoreJob.run(SparkSessions.getOrCreate("daair restore"), spec, out());
        if (result.failed() > 0) {
            throw UserException.someFailed("restore: " + result.failed() + " of " + result.images()
                    + " images failed: their reasons are in " + result.manifestCsv());
        }
    }
}
