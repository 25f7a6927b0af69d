package io.daair.jobs.cli;

import io.daair.data.fs.InFlightPaths;
import io.daair.jobs.bench.NnBenchLine;
import io.daair.jobs.bench.NnComparison;
import io.daair.jobs.bench.TrainBench;
import io.daair.jobs.spark.SparkSessions;
import io.daair.nn.bench.NnBench;
import io.daair.nn.bench.RoutingBench;
import io.daair.nn.bench.SoakBench;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
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
                    + "routing op against the composition of ND4J ops it replaced, forward and forward+backward) or "
                    + "soak (--steps training steps per preset in its own JVM: peak RSS after step 30 and at the end, "
                    + "garbage collections in between). "
                    + "Figures are medians over repeated runs after warm-up. These machines are noisy."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  daair bench nn                          tiny, small, paper: batch 8, 128x128, inference 256x256",
            "  daair bench nn --presets tiny --steps 10",
            "  daair bench nn --vs-pytorch --threads 2  the same shapes in PyTorch (apt-get install python3-torch)",
            "  daair bench nn --vs-pytorch --threads 2 --daair-threads 1   two PyTorch threads, one ND4J thread",
            "  daair bench nn --vs-pytorch --presets tiny --rounds 3   daair, PyTorch, daair, ...: medians of 3 rounds",
            "  daair bench train --presets tiny,small --frequencies 1,5,20",
            "  daair bench routing --steps 31",
            "  daair bench soak --presets tiny --steps 300   is memory flat over 300 training steps?"
        })
final class BenchCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "WHAT", description = "nn, train, routing or soak")
    String what;

    @Option(names = "--presets", split = ",", description = "Presets to measure (default: ${DEFAULT-VALUE})")
    List<String> presets = new ArrayList<>(List.of("tiny", "small", "paper"));

    @Option(names = "--batch", description = "Training batch (per worker for train; default: ${DEFAULT-VALUE})")
    int batch = 8;

    @Option(names = "--crop", description = "Training crop side (default: ${DEFAULT-VALUE})")
    int crop = 128;

    @Option(
            names = "--steps",
            description = "Timed steps (nn, routing), timed rounds (train) or training steps (soak) (default: "
                    + "${DEFAULT-VALUE})")
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

    @Option(
            names = "--vs-pytorch",
            description = "nn: also run the repository's PyTorch reference (tools/reference/bench_ref.py) on the same "
                    + "shapes and threads, and print both side by side with their ratios")
    boolean vsPytorch;

    @Option(
            names = "--rounds",
            description = "nn: measure each preset this many times, with --vs-pytorch daair and PyTorch in turn, and "
                    + "report each figure's median over the rounds (default: ${DEFAULT-VALUE})")
    int rounds = 1;

    @Option(
            names = "--python",
            paramLabel = "PYTHON",
            description =
                    "The Python with PyTorch for --vs-pytorch (default: ${DEFAULT-VALUE}, Debian's python3-torch)")
    String python = "/usr/bin/python3";

    @Option(
            names = "--threads",
            description = "nn: OpenMP threads of each measured process (default: OMP_NUM_THREADS, 1 under bin/daair)")
    Integer threads;

    @Option(
            names = "--daair-threads",
            description = "nn: OpenMP threads of the daair process alone (default: --threads); ND4J's threads can cost "
                    + "more than they give, so compare daair at its best against PyTorch at --threads")
    Integer daairThreads;

    @Override
    protected void run() throws Exception {
        settings();
        if (vsPytorch && !what.equals("nn")) {
            throw UserException.badInput("bench: --vs-pytorch compares the network alone: use it with nn, not " + what);
        }
        if (rounds < 1) {
            throw UserException.badInput("bench: --rounds must be at least 1, got " + rounds);
        }
        if (rounds > 1 && !what.equals("nn")) {
            throw UserException.badInput("bench: --rounds repeats nn's measurements: use it with nn, not " + what);
        }
        if (steps < 1) {
            throw UserException.badInput("bench: --steps must be at least 1 (timed steps or rounds), got " + steps);
        }
        if (what.equals("soak") && steps < 2) {
            throw UserException.badInput(
                    "bench: soak needs --steps of at least 2 (it compares the warm run with its end), got " + steps);
        }
        switch (what) {
            case "nn" -> benchNn();
            case "train" -> benchTrain();
            case "routing" -> RoutingBench.run(steps, out());
            case "soak" -> benchSoak();
            default -> throw UserException.badInput(
                    "bench: unknown WHAT '" + what + "'; choose nn, train, routing or soak");
        }
    }

    /**
     * Each preset in a child JVM with this classpath, so that peak RSS is the preset's own; with
     * {@code --vs-pytorch} then in a Python process running the PyTorch reference on the same shapes.
     */
    private void benchNn() throws Exception {
        int threads = threads();
        int ownThreads = daairThreads == null ? threads : positive(daairThreads, "--daair-threads");
        PytorchReference reference = vsPytorch ? PytorchReference.locate(python) : null;
        List<NnComparison.Row> rows = new ArrayList<>();
        for (String preset : presets) {
            List<String> shape = List.of(
                    preset,
                    "5",
                    Integer.toString(batch),
                    Integer.toString(crop),
                    Integer.toString(inferenceSize),
                    Integer.toString(steps));
            List<NnBench.Result> daairRounds = new ArrayList<>();
            List<NnBench.Result> pytorchRounds = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                String of = rounds > 1 ? " (round " + round + " of " + rounds + ")" : "";
                NnBench.Result daair = NnBenchLine.parse(
                        measure(javaCommand(NnBench.class, shape), ownThreads, false, "the " + preset + " run" + of),
                        "the " + preset + " run" + of);
                daairRounds.add(daair);
                if (reference == null) {
                    out().println(daair);
                    continue;
                }
                out().println("daair   " + daair);
                NnBench.Result pytorch = NnBenchLine.parse(
                        measure(
                                reference.command(shape, threads),
                                threads,
                                true,
                                "the PyTorch " + preset + " run" + of),
                        "the PyTorch " + preset + " run" + of);
                out().println("PyTorch " + pytorch);
                pytorchRounds.add(pytorch);
            }
            if (reference != null) {
                rows.add(new NnComparison.Row(NnComparison.median(daairRounds), NnComparison.median(pytorchRounds)));
            } else if (rounds > 1) {
                out().println("median of " + rounds + " rounds: " + NnComparison.median(daairRounds));
            }
        }
        if (reference != null) {
            out().println();
            out().println("daair / PyTorch " + reference.version() + " / ratio (daair over PyTorch): E = 5, batch "
                    + batch + ", " + crop + "x" + crop + ", inference " + inferenceSize + "x" + inferenceSize + ", "
                    + (ownThreads == threads
                            ? threads + " thread(s) each"
                            : "daair " + ownThreads + " thread(s), PyTorch " + threads)
                    + ", medians of " + steps + " timed runs after one warm-up"
                    + (rounds > 1 ? ", then of " + rounds + " rounds, daair and PyTorch in turn" : "") + "; daair with "
                    + allocator() + ", PyTorch with glibc's malloc");
            NnComparison.table(rows).forEach(out()::println);
        }
    }

    /** Each preset's soak in a child JVM, so that its resident memory is its own. */
    private void benchSoak() throws Exception {
        int threads = threads();
        for (String preset : presets) {
            List<String> args =
                    List.of(preset, "5", Integer.toString(batch), Integer.toString(crop), Integer.toString(steps));
            String what = "the " + preset + " soak";
            SoakBench.Result r = NnBenchLine.parse(
                    measure(javaCommand(SoakBench.class, args), threads, false, what), SoakBench.Result.class, what);
            out().println(r.line());
        }
    }

    /** This JVM's java, memory limits and classpath running {@code main}'s main method with {@code args}. */
    private static List<String> javaCommand(Class<?> main, List<String> args) {
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(memoryOptions(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(args);
        return cmd;
    }

    /**
     * Runs one measured process with {@code threads} OpenMP threads and returns its result: its last line starting
     * with '{'. With {@code systemMalloc} it runs without the allocator bin/daair preloads: PyTorch as Debian ships it.
     */
    private String measure(List<String> cmd, int threads, boolean systemMalloc, String what) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
        builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        if (systemMalloc) {
            builder.environment().remove("LD_PRELOAD");
            builder.environment().remove("MALLOC_CONF");
        }
        Process p = builder.start();
        String result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("{")) {
                    result = line;
                }
                if (global.verbose()) {
                    out().println(line);
                }
            }
        }
        if (p.waitFor() != 0 || result == null) {
            throw new IllegalStateException(
                    "bench: " + what + " failed (exit " + p.exitValue() + "); rerun with -v to see its output");
        }
        return result;
    }

    /**
     * This JVM's heap options and javacpp limits (bin/daair's defaults or DAAIR_JAVA_OPTS), for the measured JVMs:
     * they measure what bin/daair runs (without the limits ND4J's memory grew until the garbage collector ran: the
     * paper preset was killed at 24 GB).
     */
    static List<String> memoryOptions(List<String> jvmArguments) {
        return jvmArguments.stream()
                .filter(a -> a.startsWith("-Xms")
                        || a.startsWith("-Xmx")
                        || a.endsWith("AlwaysPreTouch")
                        || a.startsWith("-Dorg.bytedeco.javacpp."))
                .toList();
    }

    /** The allocator bin/daair preloaded into this process (and the daair children), if any. */
    private static String allocator() {
        String preload = System.getenv("LD_PRELOAD");
        return preload != null && preload.contains("jemalloc") ? "jemalloc" : "glibc's malloc";
    }

    /** --threads, else this process's OMP_NUM_THREADS (bin/daair sets 1), else 1. */
    private int threads() {
        if (threads != null) {
            return positive(threads, "--threads");
        }
        String omp = System.getenv("OMP_NUM_THREADS");
        try {
            return omp == null ? 1 : Math.max(1, Integer.parseInt(omp.strip()));
        } catch (NumberFormatException e) {
            throw UserException.badInput("bench: OMP_NUM_THREADS='" + omp + "' is not a number; pass --threads N");
        }
    }

    private static int positive(int threads, String option) {
        if (threads < 1) {
            throw UserException.badInput("bench: " + option + " must be at least 1, got " + threads);
        }
        return threads;
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
