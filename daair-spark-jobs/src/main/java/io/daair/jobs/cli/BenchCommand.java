package io.daair.jobs.cli;

import io.daair.data.fs.InFlightPaths;
import io.daair.jobs.bench.TrainBench;
import io.daair.jobs.spark.SparkSessions;
import io.daair.nn.bench.RoutingBench;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code daair bench}: speed and memory figures, measured, not asserted. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure speed and memory. What: nn (training step and inference per preset, each preset in its "
                    + "own JVM so that its peak RSS is its own), train (parameter-averaging round time split into "
                    + "compute and averaging, two local workers, several averaging frequencies) or routing (the "
                    + "routing op against the composition of ND4J ops it replaced, forward and forward+backward). "
                    + "Figures are medians over repeated runs after warm-up. These machines are noisy."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  daair bench nn                          tiny, small, paper: batch 8, 128x128, inference 256x256",
            "  daair bench nn --presets tiny --steps 10",
            "  daair bench train --presets tiny,small --frequencies 1,5,20",
            "  daair bench routing --steps 31"
        })
final class BenchCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "WHAT", description = "nn, train or routing")
    String what;

    @Option(names = "--presets", split = ",", description = "Presets to measure (default: ${DEFAULT-VALUE})")
    List<String> presets = new ArrayList<>(List.of("tiny", "small", "paper"));

    @Option(names = "--batch", description = "Training batch (per worker for train; default: ${DEFAULT-VALUE})")
    int batch = 8;

    @Option(names = "--crop", description = "Training crop side (default: ${DEFAULT-VALUE})")
    int crop = 128;

    @Option(
            names = "--steps",
            description = "Timed steps (nn, routing) or timed rounds (train) (default: ${DEFAULT-VALUE})")
    int steps = 5;

    @Option(names = "--inference-size", description = "Inference image side for nn (default: ${DEFAULT-VALUE})")
    int inferenceSize = 256;

    @Option(
            names = "--frequencies",
            split = ",",
            description = "Averaging frequencies for train (default: ${DEFAULT-VALUE})")
    List<Integer> frequencies = new ArrayList<>(List.of(1, 5, 20));

    @Option(names = "--workers", description = "Local workers for train (default: ${DEFAULT-VALUE})")
    int workers = 2;

    @Override
    protected void run() throws Exception {
        settings();
        if (steps < 1) {
            throw UserException.badInput("bench: --steps must be at least 1 (timed steps or rounds), got " + steps);
        }
        switch (what) {
            case "nn" -> benchNn();
            case "train" -> benchTrain();
            case "routing" -> RoutingBench.run(steps, out());
            default -> throw UserException.badInput("bench: unknown WHAT '" + what + "'; choose nn, train or routing");
        }
    }

    /** Each preset in a child JVM with this classpath, so that peak RSS is the preset's own. */
    private void benchNn() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (String preset : presets) {
            List<String> cmd = List.of(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    "io.daair.nn.bench.NnBench",
                    preset,
                    "5",
                    Integer.toString(batch),
                    Integer.toString(crop),
                    Integer.toString(inferenceSize),
                    Integer.toString(steps));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.startsWith("Result[") || global.verbose()) {
                        out().println(line);
                    }
                }
            }
            if (p.waitFor() != 0) {
                throw new IllegalStateException("bench nn: the " + preset + " run failed (exit " + p.exitValue()
                        + "); rerun with -v to see its output");
            }
        }
    }

    private void benchTrain() throws Exception {
        Path work = Files.createTempDirectory("daair-bench-train");
        InFlightPaths.add(work); // scratch: removed when the JVM exits, interrupted or not
        SparkSession spark = SparkSessions.getOrCreate("daair bench train");
        out().println("bench train: preparing " + crop + "x" + crop + " patches of the bundled photos in " + work);
        String patches = TrainBench.preparePatches(spark, work, crop);
        for (String preset : presets) {
            for (int frequency : frequencies) {
                TrainBench.Result r =
                        TrainBench.run(spark, patches, work, preset, workers, frequency, batch, crop, steps + 1);
                out().println(r.line());
            }
        }
    }
}
