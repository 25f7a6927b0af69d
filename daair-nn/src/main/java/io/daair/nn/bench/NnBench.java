package io.daair.nn.bench;

import io.daair.nn.config.NetConfig;
import io.daair.nn.config.OptimConfig;
import io.daair.nn.train.LocalTrainer;
import io.daair.nn.train.Minibatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Timing of the network alone (issue 3, benchmarks): median seconds of a training step at batch B and
 * crop size S, median seconds of one whole-image inference at a given size, and the process's peak
 * resident memory (VmHWM of /proc/self/status, so it covers ND4J's off-heap memory too; -1 where
 * that file does not exist). Inputs are seeded random images: speed does not depend on content.
 */
public final class NnBench {

    /**
     * @param preset the configuration measured
     * @param batch training batch
     * @param crop training crop size
     * @param trainStepSeconds median over the timed steps (after one warm-up step)
     * @param inferenceSize inference image side
     * @param inferenceSeconds median whole-image forward pass
     * @param peakRssBytes peak resident set size of this process
     */
    public record Result(
            String preset,
            int batch,
            int crop,
            double trainStepSeconds,
            int inferenceSize,
            double inferenceSeconds,
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
            throw new IllegalArgumentException("need steps >= 1 and crop, inference size multiples of 8, got steps="
                    + steps + " crop=" + crop + " inference=" + inferenceSize);
        }
        SplittableRandom rnd = new SplittableRandom(1);
        Minibatch mb = new Minibatch(
                random(rnd, 3 * batch * crop * crop),
                random(rnd, 3 * batch * crop * crop),
                rnd.ints(batch, 0, config.degradations()).toArray(),
                batch,
                crop,
                crop);
        float[] image = random(rnd, 3 * inferenceSize * inferenceSize);
        try (LocalTrainer t = new LocalTrainer(config, OptimConfig.defaults(1_000_000), 1)) {
            double[] train = new double[steps];
            t.step(mb);
            for (int i = 0; i < steps; i++) {
                long s = System.nanoTime();
                t.step(mb);
                train[i] = (System.nanoTime() - s) / 1e9;
            }
            double[] infer = new double[steps];
            t.forward(image, 1, inferenceSize, inferenceSize);
            for (int i = 0; i < steps; i++) {
                long s = System.nanoTime();
                t.forward(image, 1, inferenceSize, inferenceSize);
                infer[i] = (System.nanoTime() - s) / 1e9;
            }
            return new Result(name, batch, crop, median(train), inferenceSize, median(infer), peakRss());
        }
    }

    /** {@code java ... NnBench preset degradations batch crop inferenceSize steps}; prints the result. */
    public static void main(String[] args) {
        NetConfig c = NetConfig.preset(args[0], Integer.parseInt(args[1]));
        System.out.println(run(
                c,
                args[0],
                Integer.parseInt(args[2]),
                Integer.parseInt(args[3]),
                Integer.parseInt(args[4]),
                Integer.parseInt(args[5])));
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
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
