package io.daair.jobs.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The router's view of an evaluation: how many images of each true degradation (rows) went to each expert
 * (columns).
 *
 * <p>Columns are the model's experts in index order; rows are the same names, followed by any true label
 * the model has no expert for (such images can only be counted as misrouted).
 *
 * @param labels the true degradations, one per row
 * @param experts the model's experts, one per column
 * @param counts {@code counts[row][column]}, images of {@code labels[row]} routed to {@code experts[column]}
 */
public record ConfusionMatrix(List<String> labels, List<String> experts, long[][] counts) {

    public ConfusionMatrix {
        labels = List.copyOf(labels);
        experts = List.copyOf(experts);
        if (counts.length != labels.size()) {
            throw new IllegalArgumentException("Confusion matrix has " + counts.length + " rows for " + labels);
        }
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            if (counts[i].length != experts.size()) {
                throw new IllegalArgumentException("Confusion matrix row " + labels.get(i) + " has " + counts[i].length
                        + " columns for " + experts);
            }
            copy[i] = counts[i].clone();
        }
        counts = copy;
    }

    /**
     * Counts the routing decisions of {@code results}.
     *
     * @param experts the model's experts in index order, e.g. {@code [noise, rain, haze]}
     * @throws IllegalArgumentException if a result was routed to an expert not in {@code experts}
     */
    public static ConfusionMatrix of(List<String> experts, List<ImageResult> results) {
        List<String> labels = new ArrayList<>(experts);
        for (ImageResult r : results) {
            if (!labels.contains(r.degradation())) {
                labels.add(r.degradation());
            }
        }
        long[][] counts = new long[labels.size()][experts.size()];
        for (ImageResult r : results) {
            int column = experts.indexOf(r.routedExpert());
            if (column < 0) {
                throw new IllegalArgumentException("Image " + r.imageId() + " of " + r.benchmark()
                        + " was routed to '" + r.routedExpert() + "', which is not one of the model's experts "
                        + experts);
            }
            counts[labels.indexOf(r.degradation())][column]++;
        }
        return new ConfusionMatrix(labels, experts, counts);
    }

    /** Images of true degradation {@code label} routed to {@code expert} (0 if either is unknown). */
    public long count(String label, String expert) {
        int row = labels.indexOf(label);
        int column = experts.indexOf(expert);
        return row < 0 || column < 0 ? 0 : counts[row][column];
    }

    /** All images counted. */
    public long total() {
        return Arrays.stream(counts).flatMapToLong(Arrays::stream).sum();
    }

    /** Fraction of images routed to the expert of their true degradation; NaN when there are none. */
    @JsonProperty("accuracy")
    public double accuracy() {
        long correct = 0;
        for (int column = 0; column < experts.size(); column++) {
            correct += counts[column][column]; // rows start with the experts, in the same order
        }
        return (double) correct / total();
    }

    @Override
    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionMatrix m
                && labels.equals(m.labels)
                && experts.equals(m.experts)
                && Arrays.deepEquals(counts, m.counts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * labels.hashCode() + experts.hashCode()) + Arrays.deepHashCode(counts);
    }

    @Override
    public String toString() {
        return "ConfusionMatrix[labels=" + labels + ", experts=" + experts + ", counts=" + Arrays.deepToString(counts)
                + "]";
    }
}
