package io.daair.jobs.bench;

import io.daair.data.datasets.DatasetSource;
import io.daair.data.datasets.MixSpec;
import io.daair.data.degrade.Degradation;
import io.daair.data.image.ImageCodec;
import io.daair.data.patch.PatchSpec;
import io.daair.data.samples.SamplePhotos;
import io.daair.jobs.prepare.PrepareJob;
import io.daair.jobs.prepare.PrepareSpec;
import io.daair.jobs.train.RoundMetrics;
import io.daair.jobs.train.TrainJob;
import io.daair.jobs.train.TrainSpec;
import io.daair.nn.NetStats;
import io.daair.nn.config.NetConfig;
import io.daair.nn.config.OptimConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * Round time of parameter averaging split into compute and averaging, for a preset at several
 * averaging frequencies, with local workers on the bundled photos' patches.
 */
public final class TrainBench {

    /**
     * One configuration's figures (medians over the timed rounds, the first round is warm-up).
     *
     * @param bytesPerRound what moves per round: the broadcast state to every worker and every
     *     worker's result back (parameters, controllers, and Adam's M and V)
     */
    public record Result(
            String preset,
            int workers,
            int frequency,
            int batchPerWorker,
            int crop,
            double roundSeconds,
            double computeSeconds,
            double averagingSeconds,
            double samplesPerSecond,
            long bytesPerRound) {

        public String line() {
            return String.format(
                    java.util.Locale.ROOT,
                    "%-6s workers %d  freq %2d  batch %d  crop %d  round %7.2fs  compute %7.2fs  averaging %6.2fs"
                            + " (%4.1f%%)  %6.2f samples/s  %,d bytes/round",
                    preset,
                    workers,
                    frequency,
                    batchPerWorker,
                    crop,
                    roundSeconds,
                    computeSeconds,
                    averagingSeconds,
                    100 * averagingSeconds / roundSeconds,
                    samplesPerSecond,
                    bytesPerRound);
        }
    }

    private TrainBench() {}

    /** Prepares patches of the bundled training photos at {@code crop} under {@code work}. */
    public static String preparePatches(SparkSession spark, Path work, int crop) throws IOException {
        Path photos = SamplePhotos.extract(SamplePhotos.Split.TRAIN, work.resolve("photos"));
        String out = work.resolve("patches-" + crop).toUri().toString();
        DatasetSource source = DatasetSource.clean("samples", photos.toUri().toString(), List.of(Degradation.values()));
        PrepareSpec spec = new PrepareSpec(
                List.of(source),
                new MixSpec(equalRepeats()),
                new PatchSpec(crop, 8, 1, true),
                out,
                0,
                true,
                ImageCodec.DEFAULT_MAX_PIXELS);
        PrepareJob.run(spark, spec, line -> {});
        return out;
    }

    private static java.util.Map<Degradation, Integer> equalRepeats() {
        java.util.Map<Degradation, Integer> m = new java.util.EnumMap<>(Degradation.class);
        for (Degradation d : Degradation.values()) {
            m.put(d, 1);
        }
        return m;
    }

    public static Result run(
            SparkSession spark,
            String patches,
            Path work,
            String preset,
            int workers,
            int frequency,
            int batch,
            int crop,
            int rounds)
            throws IOException {
        NetConfig net = NetConfig.preset(preset, 5);
        String run = work.resolve("run-" + preset + "-f" + frequency).toUri().toString();
        TrainSpec spec = new TrainSpec(
                patches,
                run,
                workers,
                batch,
                frequency,
                true,
                1,
                (long) rounds * frequency,
                1_000_000,
                false,
                true,
                "all",
                2,
                0.5,
                3,
                1);
        TrainJob.Result r =
                new TrainJob(spark, spec, net, OptimConfig.defaults(1), new PrintWriter(new StringWriter())).run();
        List<RoundMetrics> timed =
                new ArrayList<>(r.rounds().subList(1, r.rounds().size()));
        NetStats stats = NetStats.of(net);
        long stateBytes = 4L * (3 * stats.trainableParams() + stats.controllerParams());
        double compute =
                median(timed.stream().mapToDouble(RoundMetrics::computeSeconds).toArray());
        double averaging = median(
                timed.stream().mapToDouble(RoundMetrics::averagingSeconds).toArray());
        return new Result(
                preset,
                workers,
                frequency,
                batch,
                crop,
                compute + averaging,
                compute,
                averaging,
                median(timed.stream().mapToDouble(RoundMetrics::samplesPerSec).toArray()),
                2L * workers * stateBytes);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
