package io.daair.jobs.cli;

import io.daair.jobs.evaluate.EvaluateJob;
import io.daair.jobs.evaluate.EvaluateSpec;
import io.daair.jobs.report.EvaluationReport;
import io.daair.jobs.spark.SparkSessions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code daair evaluate}: Evaluate a model on benchmark datasets and write a report (JSON, Markdown, HTML). */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = "Evaluate a model on benchmark datasets and write a report (JSON, Markdown, HTML).",
        footerHeading = "%nExamples:%n",
        footer = {
            "  daair evaluate --model model.safetensors --benchmark bsd68=/data/BSD68 --report /tmp/report",
            "  daair evaluate --model hdfs:///runs/r1 --run hdfs:///runs/r1 --report hdfs:///reports/r1 \\",
            "      --benchmark bsd68=hdfs:///bench/BSD68 --benchmark rain100l=hdfs:///bench/Rain100L \\",
            "      --benchmark sots-outdoor=hdfs:///bench/SOTS/outdoor --benchmark gopro=hdfs:///bench/GoPro/test \\",
            "      --benchmark lol-v1=hdfs:///bench/LOL/eval15",
            "  daair evaluate --model m.safetensors --benchmark paired=mine:/data/hazy:/data/clear:haze --report out",
            "  daair evaluate --model m.safetensors --benchmark synthetic=/photos --report out",
            "Benchmarks: bsd68 (sigma 15/25/50), rain100l, sots-outdoor, gopro, lol-v1, paired, parquet, synthetic.",
            "An image that cannot be evaluated (unreadable, empty, truncated, under 11x11, a pair of different sizes)",
            "is listed in the report and on the console, the rest is evaluated, and the exit code is 4.",
            "",
            "synthetic=DIR: every photo under DIR (recursively) with each of the five",
            "synthetic degradations of 'daair prepare', one benchmark each (the report sets",
            "them as stand-ins beside the paper's SOTS, Rain100L, BSD68, GoPro, LOL):",
            "  noise-s25 (Gaussian, sigma 25 on the 0..255 scale, as BSD68),",
            "  rain (streaks: 0.002-0.006 per pixel, length 0.06-0.15 of the short side,",
            "    angle within 25 degrees of vertical, blend 0.55-0.9),",
            "  haze (I = J t + A (1 - t), t = exp(-beta d): beta 0.04-0.2, A 0.8-1.0,",
            "    depth d from 1 at the bottom to 8-16 at the top),",
            "  blur (camera-shake kernel 5-17 px long; half the photos also a defocus",
            "    disk of radius 0.5-1.5 px),",
            "  lowlight (exposure 0.15-0.35 times clean^gamma, gamma 1.3-2.0, then",
            "    Poisson-Gaussian noise: peak 150-600, read noise 0.002-0.01).",
            "Each photo and degradation draws its parameters from its own seed, derived",
            "from daair.evaluate.seed = 20240611 and the key",
            "synthetic/<path under DIR>#<degradation>[:25]#0, so every run and every",
            "cluster sees the same inputs (another seed: --set daair.evaluate.seed=N)."
        })
final class EvaluateCommand extends BaseCommand {

    @Option(names = "--model", paramLabel = "M", description = ".safetensors file, checkpoint .ckpt or run directory")
    String model;

    @Option(
            names = "--benchmark",
            paramLabel = "NAME=PATH",
            description = "A benchmark, repeatable: bsd68=DIR, rain100l=DIR, sots-outdoor=DIR, gopro=DIR, lol-v1=DIR,"
                    + " paired=NAME:DEGRADED_DIR:CLEAN_DIR:DEGRADATION, parquet=URI, synthetic=DIR")
    List<String> benchmarks = new ArrayList<>();

    @Option(names = "--report", paramLabel = "DIR", description = "Folder for report.json, report.md, report.html")
    String report;

    @Option(names = "--run", paramLabel = "RUNDIR", description = "Training run directory: its curves in the report")
    String run;

    @Option(names = "--save-images", description = "Also write the restored images under DIR/restored/")
    Boolean saveImages;

    @Option(names = "--preset", description = "Network of a .safetensors file without metadata: tiny, small, paper")
    String preset;

    @Option(names = "--degradations", description = "Network of a .safetensors file without metadata: 3 or 5")
    Integer degradations;

    @Override
    protected List<String> optionOverrides() {
        List<String> o = overrides();
        putIfSet(o, "daair.evaluate.model", model);
        if (!benchmarks.isEmpty()) {
            o.add("daair.evaluate.benchmarks="
                    + benchmarks.stream().map(EvaluateCommand::quoted).collect(Collectors.joining(",", "[", "]")));
        }
        putIfSet(o, "daair.evaluate.report", report);
        putIfSet(o, "daair.evaluate.run", run);
        putIfSet(o, "daair.evaluate.save-images", saveImages);
        putIfSet(o, "daair.net.preset", preset);
        putIfSet(o, "daair.net.degradations", degradations);
        return o;
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    protected void run() throws Exception {
        EvaluateSpec spec =
                EvaluateSpec.fromConfig(settings().config(), settings().given(SettingsAgreement.NET_SETTINGS));
        EvaluationReport report = EvaluateJob.run(SparkSessions.getOrCreate("daair evaluate"), spec, out())
                .report();
        int failed = report.failures().size();
        if (failed > 0) {
            throw UserException.someFailed(
                    failed + " of " + (failed + report.images().size())
                            + " images could not be evaluated (listed above and in the report); the report covers the rest");
        }
    }
}
