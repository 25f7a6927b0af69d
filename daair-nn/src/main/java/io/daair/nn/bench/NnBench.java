package io.daair.nn.bench;

import io.daair.nn.config.BadNetInputException;
import io.daair.nn.config.NetConfig;
import io.daair.nn.config.OptimConfig;
import io.daair.nn.train.LocalTrainer;
import io.daair.nn.train.Minibatch;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Timing of the network alone: median seconds of a training step at batch B and
 * crop size S, median seconds of one whole-image inference at a given size, and the process's peak
 * resident memory (VmHWM of /proc/self/status, so it covers ND4J's off-heap memory too; -1 where
 * that file does not exist). Inputs are seeded random images: speed does not depend on content.
 * CPU times are reported too because wall times on a shared machine mostly measure the other load.
 * Set {@code OMP_NUM_THREADS} before the JVM starts to choose the native thread count.
 */
public final class NnBench {

    /**
     * @param preset the configuration measured
     * @param batch training batch
     * @param crop training crop size
     * @param trainStepSeconds median wall time over the timed steps (after one warm-up step)
     * @param trainStepCpuSeconds median process CPU time of a step (robust to other load on the machine)
     * @param inferenceSize inference image side
     * @param inferenceSeconds median wall time of a whole-image forward pass
     * @param inferenceCpuSeconds median process CPU time of that pass
     * @param peakRssBytes peak resident set size of this process
     */
    public record Result(
            String preset,
            int batch,
            int crop,
            double trainStepSeconds,
            double trainStepCpuSeconds,
            int inferenceSize,
            double inferenceSeconds,
            double inferenceCpuSeconds,
            long peakRssBytes) {}

    private NnBench() {}

    /**
     * Runs {@code steps} timed training steps and {@code steps} timed inferences, each after one warm-up.
     *
     * @param config the network
     * @param name how to call it in the result (e.g. "tiny")
     */
    public static Result run(NetConfig config, String name, int batch, int crop, int inferenceSize, int steps) {
        if (steps < 1 || crop % 8 != 0 || inferenceSize % 8 != 0) {
            throw new BadNetInputException("need steps >= 1 and crop, inference size multiples of 8, got steps=" + steps
                    + " crop=" + crop + " inference=" + inferenceSize);
        }
        SplittableRandom rnd = new SplittableRandom(1);
        Minibatch mb = randomMinibatch(rnd, config, batch, crop);
        float[] image = random(rnd, 3 * inferenceSize * inferenceSize);
        try (LocalTrainer t = new LocalTrainer(config, OptimConfig.defaults(1_000_000), 1)) {
            double[][] train = time(steps, () -> t.step(mb));
            double[][] infer = time(steps, () -> t.forward(image, 1, inferenceSize, inferenceSize));
            return new Result(
                    name,
                    batch,
                    crop,
                    median(train[0]),
                    median(train[1]),
                    inferenceSize,
                    median(infer[0]),
                    median(infer[1]),
                    peakRss());
        }
    }

    /** {@code java ... NnBench preset degradations batch crop inferenceSize steps}; prints the result. */
    public static void main(String[] args) {
        NetConfig c = NetConfig.preset(args[0], Integer.parseInt(args[1]));
        Result r = run(
                c,
                args[0],
                Integer.parseInt(args[2]),
                Integer.parseInt(args[3]),
                Integer.parseInt(args[4]),
                Integer.parseInt(args[5]));
        System.out.println(json(r)); // the line daair bench nn reads (tools/reference/bench_ref.py prints alike)
    }

    /** A result (this class's or {@link SoakBench}'s) as one JSON object with its record's field names. */
    public static String json(Record r) {
        try {
            return new ObjectMapper().writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + r + " as JSON", e);
        }
    }

    /** Wall and CPU seconds of {@code steps} runs after one warm-up run. */
    private static double[][] time(int steps, Runnable r) {
        double[][] t = new double[2][steps];
        r.run();
        for (int i = 0; i < steps; i++) {
            long wall = System.nanoTime();
            long cpu = cpuNanos();
            r.run();
            t[0][i] = (System.nanoTime() - wall) / 1e9;
            t[1][i] = (cpuNanos() - cpu) / 1e9;
        }
        return t;
    }

    private static long cpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : 0L;
    }

    /** A minibatch of seeded random images and labels: speed and memory do not depend on content. */
    static Minibatch randomMinibatch(SplittableRandom rnd, NetConfig config, int batch, int crop) {
        return new Minibatch(
                random(rnd, 3 * batch * crop * crop),
                random(rnd, 3 * batch * crop * crop),
                rnd.ints(batch, 0, config.degradations()).toArray(),
                batch,
                crop,
                crop);
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextDouble();
        }
        return a;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** VmHWM from /proc/self/status in bytes, or -1. */
    static long peakRss() {
        return procStatus("VmHWM:");
    }

    /** A "kB" line of /proc/self/status (e.g. {@code VmRSS:}) in bytes, or -1 where that file does not exist. */
    static long procStatus(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
