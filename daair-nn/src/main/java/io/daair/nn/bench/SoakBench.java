package io.daair.nn.bench;

import io.daair.nn.config.BadNetInputException;
import io.daair.nn.config.NetConfig;
import io.daair.nn.config.OptimConfig;
import io.daair.nn.train.LocalTrainer;
import io.daair.nn.train.Minibatch;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Memory over a long run of training steps: does resident memory stay flat once the run is warm, and how
 * often and how long does the garbage collector run? Steps on fresh seeded random minibatches (content
 * does not matter for memory), resident memory read from /proc/self/status after the check step and after
 * the last one.
 */
public final class SoakBench {

    /**
     * @param preset the configuration measured
     * @param batch training batch
     * @param crop training crop side
     * @param steps training steps run
     * @param checkStep the step after which the warm figures are taken (30, or half the steps if fewer than 60)
     * @param peakRssAtCheckBytes VmHWM after {@code checkStep}
     * @param peakRssAtEndBytes VmHWM after the last step
     * @param rssAtEndBytes VmRSS after the last step
     * @param gcCount collections between the check step and the end, all collectors
     * @param gcSeconds time those collections took, as the collectors report it
     * @param medianStepSeconds median wall time of the steps after the check step
     */
    public record Result(
            String preset,
            int batch,
            int crop,
            int steps,
            int checkStep,
            long peakRssAtCheckBytes,
            long peakRssAtEndBytes,
            long rssAtEndBytes,
            long gcCount,
            double gcSeconds,
            double medianStepSeconds) {

        /** Growth of the peak resident memory from the check step to the end, as a fraction. */
        public double peakGrowth() {
            return (double) peakRssAtEndBytes / peakRssAtCheckBytes - 1;
        }

        /** One line for people. */
        public String line() {
            return String.format(
                    Locale.ROOT,
                    "soak %s: %d steps, batch %d, %dx%d: peak RSS %.2f GB after step %d, %.2f GB after step %d (%+.1f%%),"
                            + " RSS %.2f GB at the end; %d collections taking %.1f s after step %d; median step %.2f s",
                    preset,
                    steps,
                    batch,
                    crop,
                    crop,
                    peakRssAtCheckBytes / 1e9,
                    checkStep,
                    peakRssAtEndBytes / 1e9,
                    steps,
                    100 * peakGrowth(),
                    rssAtEndBytes / 1e9,
                    gcCount,
                    gcSeconds,
                    checkStep,
                    medianStepSeconds);
        }
    }

    private SoakBench() {}

    public static Result run(NetConfig config, String name, int batch, int crop, int steps) {
        if (steps < 2 || crop % 8 != 0) {
            throw new BadNetInputException(
                    "need at least 2 steps and a crop that is a multiple of 8, got steps=" + steps + " crop=" + crop);
        }
        int check = steps >= 60 ? 30 : steps / 2;
        SplittableRandom rnd = new SplittableRandom(1);
        double[] stepSeconds = new double[steps - check];
        long peakAtCheck = 0;
        long gcCountAtCheck = 0;
        long gcMillisAtCheck = 0;
        try (LocalTrainer t = new LocalTrainer(config, OptimConfig.defaults(1_000_000), 1)) {
            for (int step = 1; step <= steps; step++) {
                Minibatch mb = NnBench.randomMinibatch(rnd, config, batch, crop);
                long start = System.nanoTime();
                t.step(mb);
                if (step > check) {
                    stepSeconds[step - check - 1] = (System.nanoTime() - start) / 1e9;
                }
                if (step == check) {
                    peakAtCheck = NnBench.procStatus("VmHWM:");
                    gcCountAtCheck = gcCount();
                    gcMillisAtCheck = gcMillis();
                }
            }
        }
        long rssAtEnd = NnBench.procStatus("VmRSS:"); // before the peak, which is then at least this
        // the kernel's resident counters lag by up to 64 pages per thread, so a later VmHWM can read a little lower
        long peakAtEnd = Math.max(peakAtCheck, NnBench.procStatus("VmHWM:"));
        double[] sorted = stepSeconds.clone();
        Arrays.sort(sorted);
        return new Result(
                name,
                batch,
                crop,
                steps,
                check,
                peakAtCheck,
                peakAtEnd,
                rssAtEnd,
                gcCount() - gcCountAtCheck,
                (gcMillis() - gcMillisAtCheck) / 1e3,
                sorted[sorted.length / 2]);
    }

    /** {@code java ... SoakBench preset degradations batch crop steps}; prints the result as one JSON line. */
    public static void main(String[] args) {
        NetConfig c = NetConfig.preset(args[0], Integer.parseInt(args[1]));
        Result r = run(c, args[0], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        System.out.println(NnBench.json(r));
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount)
                .sum();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime)
                .sum();
    }
}
