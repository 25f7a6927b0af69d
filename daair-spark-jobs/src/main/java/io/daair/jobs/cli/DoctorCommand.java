package io.daair.jobs.cli;

import io.daair.jobs.doctor.GoldenCheck;
import io.daair.jobs.doctor.GoldenCheck.Comparison;
import io.daair.jobs.doctor.GoldenFixture;
import io.daair.jobs.doctor.Installation;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
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
            "Exit 0 when all agree within float32 rounding, 3 naming what differs."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  daair doctor",
            "  DAAIR_JAVA_OPTS='-Xmx8g -Dorg.bytedeco.javacpp.maxbytes=12g' daair doctor   (see the limits in force)"
        })
final class DoctorCommand extends BaseCommand {

    @Option(
            names = "--golden",
            paramLabel = "DIR",
            description = "Compare with the golden files in DIR (the bundled ones' names) instead of the bundled ones")
    Path golden;

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
