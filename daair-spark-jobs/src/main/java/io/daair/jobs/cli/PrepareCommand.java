package io.daair.jobs.cli;

import io.daair.data.degrade.Degradation;
import io.daair.jobs.prepare.PrepareJob;
import io.daair.jobs.prepare.PrepareResult;
import io.daair.jobs.prepare.PrepareSpec;
import io.daair.jobs.spark.SparkSessions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code daair prepare}: patch crops as Parquet. */
@Command(
        name = "prepare",
        mixinStandardHelpOptions = true,
        description = {
            "Crop training patches from image datasets, degrade them, and write them as Parquet (partitioned "
                    + "by degradation) for 'daair train'. Datasets come from daair.data.sources (benchmark layouts: "
                    + "clean, rain100l, reside, gopro, lol, paired) or --input (clean photos with synthetic "
                    + "degradations)."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  daair prepare --input file:///data/photos --output file:///tmp/patches --degradations 5",
            "  daair prepare --conf conf/five-degradations.conf --output hdfs:///daair/patches",
            "  daair prepare --input s3a://bucket/photos --output s3a://bucket/patches --crop 64 --patches-per-image 4",
            "Unreadable images are skipped: the output's _failures.tsv lists every one (path, sample, reason)."
        })
final class PrepareCommand extends BaseCommand {

    @Option(
            names = "--input",
            paramLabel = "URI",
            description = "A folder of clean photos (recursive); each gets the synthetic degradations")
    String input;

    @Option(names = "--output", paramLabel = "URI", description = "Parquet output folder (daair.data.prepare.output)")
    String output;

    @Option(
            names = "--degradations",
            description = "3 or 5 degradations (daair.data.mix.degradations; 5 with --input unless given)")
    Integer degradations;

    @Option(names = "--crop", description = "Patch side, a multiple of 8 (daair.data.patch.size)")
    Integer crop;

    @Option(names = "--patches-per-image", description = "Random crops per image (daair.data.patch.per-image)")
    Integer patchesPerImage;

    @Option(
            names = "--overwrite",
            description = "Replace an earlier patch set at --output (a folder holding _daair_patches.json) once the"
                    + " new one is complete; any other folder is refused, nothing deleted")
    boolean overwrite;

    @Override
    protected List<String> optionOverrides() {
        List<String> o = overrides();
        putIfSet(o, "daair.data.prepare.output", output);
        Integer mixed = degradations == null && input != null ? Integer.valueOf(5) : degradations;
        putIfSet(o, "daair.data.mix.degradations", mixed);
        putIfSet(o, "daair.data.patch.size", crop);
        putIfSet(o, "daair.data.patch.per-image", patchesPerImage);
        if (overwrite) {
            o.add("daair.data.prepare.overwrite=true");
        }
        if (input != null) {
            Degradation[] kinds = Degradation.firstN(mixed);
            String ids = Arrays.stream(kinds).map(Degradation::id).collect(Collectors.joining(", "));
            o.add("daair.data.sources=[{name = input, layout = clean, root = \"" + input.replace("\"", "\\\"")
                    + "\", degradations = [" + ids + "]}]");
        }
        return o;
    }

    @Override
    protected void run() throws Exception {
        PrepareSpec spec = PrepareSpec.fromConfig(settings().config());
        PrepareResult result =
                PrepareJob.run(SparkSessions.getOrCreate("daair prepare"), spec, line -> out().println(line));
        out().println(result.summary());
    }
}
