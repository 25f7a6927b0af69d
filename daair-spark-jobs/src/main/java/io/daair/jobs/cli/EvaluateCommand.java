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
            "is listed in the report and on the console, the rest is evaluated, and the exit code is 4."
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
        EvaluateSpec spec = EvaluateSpec.fromConfig(settings().config());
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
