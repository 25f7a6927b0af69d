package io.daair.jobs.cli;

import io.daair.jobs.doctor.ExecutorCheck;
import io.daair.jobs.doctor.GoldenCheck;
import io.daair.jobs.doctor.GoldenCheck.Comparison;
import io.daair.jobs.doctor.GoldenFixture;
import io.daair.jobs.doctor.Installation;
import io.daair.jobs.spark.SparkSessions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code daair doctor}: what this installation runs on, and whether it computes what PyTorch computes. */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description = {
            "Check an installation: print the ND4J backend (CPU build and instruction set, or CUDA device) and the"
                    + " memory settings in force, then run a tiny network forward and backward and compare its output,"
                    + " loss and gradients with golden values from the PyTorch reference.",
            "With --executors N the same check also runs in N Spark tasks, spread over the cluster's executors"
                    + " (give one per executor), each printing its executor, host and backend.",
            "Exit 0 when all agree within float32 rounding, 3 naming what differs."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  daair doctor",
            "  spark-submit --properties-file cluster.conf --class io.daair.jobs.cli.DaairCommand daair.jar \\",
            "      doctor --executors 4",
            "  DAAIR_JAVA_OPTS='-Xmx8g -Dorg.bytedeco.javacpp.maxbytes=12g' daair doctor   (see the limits in force)"
        })
final class DoctorCommand extends BaseCommand {

    @Option(
            names = "--golden",
            paramLabel = "DIR",
            description = "Compare with the golden files in DIR (the bundled ones' names) instead of the bundled ones")
    Path golden;

    @Option(
            names = "--executors",
            paramLabel = "N",
            description = "Also run the bundled check in N Spark tasks, one per executor of the cluster")
    int executors;

    @Override
    protected void run() throws Exception {
        Installation.describe().forEach(out()::println);
        GoldenFixture fixture = golden == null ? GoldenFixture.bundled() : GoldenFixture.in(golden);
        long start = System.nanoTime();
        GoldenCheck.Result result = GoldenCheck.run(fixture);
        double seconds = (System.nanoTime() - start) / 1e9;
        out().println("golden values        " + fixture.source());
        for (Comparison c : result.forward()) {
            out().println(describe(c));
        }
        Comparison worst = result.worstGradient();
        out().printf(
                        Locale.ROOT,
                        "gradients            %d parameters; closest to its tolerance: %s%n",
                        result.gradients().size(),
                        describe(worst).strip());
        List<Comparison> failures = result.failures();
        if (!failures.isEmpty()) {
            throw UserException.badState(failures.size() + " value(s) differ from " + fixture.source() + ": "
                    + failures.stream().map(c -> describe(c).strip()).collect(Collectors.joining("; "))
                    + ". This installation computes a different network: check the native build above"
                    + " (mvn -Pavx2 for CPUs without AVX-512) and report it with this output");
        }
        out().printf(
                        Locale.ROOT,
                        "OK: forward and backward pass agree with the PyTorch reference (%d values checked, %.1f s)%n",
                        result.forward().size() + result.gradients().size(),
                        seconds);
        if (executors > 0) {
            checkExecutors();
        }
    }

    /** The bundled check in {@code executors} Spark tasks; any that differs is a bad state naming its executor. */
    private void checkExecutors() {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(
                SparkSessions.getOrCreate("daair doctor").sparkContext());
        List<String> differing = new ArrayList<>();
        for (ExecutorCheck.Report r : ExecutorCheck.run(jsc, executors)) {
            String where = "executor " + r.executor() + " on " + r.host();
            out().println(where + ": " + (r.failures().isEmpty() ? "OK" : "DIFFERS: " + r.failures()));
            r.installation().forEach(line -> out().println("  " + line));
            if (!r.failures().isEmpty()) {
                differing.add(where + " (" + String.join("; ", r.failures()) + ")");
            }
        }
        if (!differing.isEmpty()) {
            throw UserException.badState(differing.size() + " of " + executors + " tasks computed another network: "
                    + String.join(", ", differing) + ". Check those executors' native build and report it");
        }
    }

    private static String describe(Comparison c) {
        return String.format(
                Locale.ROOT,
                "  %s = %.2e (tolerance %.1e)%s",
                c.what(),
                c.difference(),
                c.tolerance(),
                c.ok() ? "" : " DIFFERS");
    }
}
