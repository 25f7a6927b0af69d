package io.daair.jobs.bench;

import io.daair.nn.bench.NnBench;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The table of {@code daair bench nn --vs-pytorch}: each figure as daair / PyTorch / daair over PyTorch. */
public final class NnComparison {

    /** One preset measured by both on the same shapes. */
    public record Row(NnBench.Result daair, NnBench.Result pytorch) {
        public Row {
            if (!daair.preset().equals(pytorch.preset())
                    || daair.batch() != pytorch.batch()
                    || daair.crop() != pytorch.crop()
                    || daair.inferenceSize() != pytorch.inferenceSize()) {
                throw new IllegalStateException("bench nn: daair and PyTorch measured different shapes: " + shape(daair)
                        + " against " + shape(pytorch));
            }
        }
    }

    private NnComparison() {}

    /**
     * Rounds of one preset on one side as one result: each figure the median over the rounds (the upper median of
     * an even count). Alternating daair's and PyTorch's rounds lets this VM's slow periods, which last minutes,
     * weigh on both sides alike.
     */
    public static NnBench.Result median(List<NnBench.Result> rounds) {
        if (rounds.isEmpty()) {
            throw new IllegalArgumentException("bench nn: no rounds to take the median of");
        }
        NnBench.Result first = rounds.get(0);
        for (NnBench.Result r : rounds) {
            new Row(first, r); // same preset and shapes
        }
        return new NnBench.Result(
                first.preset(),
                first.batch(),
                first.crop(),
                median(rounds, NnBench.Result::trainStepSeconds),
                median(rounds, NnBench.Result::trainStepCpuSeconds),
                first.inferenceSize(),
                median(rounds, NnBench.Result::inferenceSeconds),
                median(rounds, NnBench.Result::inferenceCpuSeconds),
                (long) median(rounds, r -> r.peakRssBytes()));
    }

    private static double median(List<NnBench.Result> rounds, ToDoubleFunction<NnBench.Result> figure) {
        double[] v = rounds.stream().mapToDouble(figure).sorted().toArray();
        return v[v.length / 2];
    }

    /** A Markdown table, header first, one row per preset. */
    public static List<String> table(List<Row> rows) {
        List<String> lines = new ArrayList<>();
        lines.add("| preset | train step s (daair / PyTorch / ratio) | train step CPU s | peak RSS GB"
                + " | inference s | inference CPU s |");
        lines.add("|---|---|---|---|---|---|");
        for (Row r : rows) {
            NnBench.Result d = r.daair();
            NnBench.Result p = r.pytorch();
            lines.add("| " + d.preset()
                    + " | " + cell(d.trainStepSeconds(), p.trainStepSeconds())
                    + " | " + cell(d.trainStepCpuSeconds(), p.trainStepCpuSeconds())
                    + " | " + cell(gigabytes(d.peakRssBytes()), gigabytes(p.peakRssBytes()))
                    + " | " + cell(d.inferenceSeconds(), p.inferenceSeconds())
                    + " | " + cell(d.inferenceCpuSeconds(), p.inferenceCpuSeconds()) + " |");
        }
        return lines;
    }

    private static String cell(double daair, double pytorch) {
        String ratio =
                Double.isNaN(daair) || Double.isNaN(pytorch) || pytorch <= 0 ? "n/a" : number(daair / pytorch) + "x";
        return number(daair) + " / " + number(pytorch) + " / " + ratio;
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3g", v);
    }

    /** NaN for -1 (no /proc/self/status). */
    private static double gigabytes(long bytes) {
        return bytes < 0 ? Double.NaN : bytes / 1e9;
    }

    private static String shape(NnBench.Result r) {
        return r.preset() + " batch=" + r.batch() + " crop=" + r.crop() + " inference=" + r.inferenceSize();
    }
}
