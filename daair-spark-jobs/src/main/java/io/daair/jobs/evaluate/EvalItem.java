package io.daair.jobs.evaluate;

import io.daair.data.datasets.Sample;
import io.daair.data.degrade.Degradation;
import java.io.Serializable;
import java.util.Objects;

/**
 * One image to evaluate, as sent to an executor: either a dataset {@link Sample} (paths; a real pair or a
 * clean image to degrade synthetically) or a prepared patch (raw uint8 CHW pixels of both images).
 *
 * @param benchmark the benchmark it belongs to, e.g. {@code bsd68-s25}
 * @param imageId its name within the benchmark
 * @param degradation its true degradation
 * @param sample the dataset sample, or null for a patch
 * @param patch the patch, or null for a sample
 */
record EvalItem(String benchmark, String imageId, Degradation degradation, Sample sample, Patch patch)
        implements Serializable {

    /**
     * A prepared patch's pixels.
     *
     * @param clean raw uint8 CHW
     * @param degraded raw uint8 CHW
     * @param width patch width
     * @param height patch height
     */
    record Patch(byte[] clean, byte[] degraded, int width, int height) implements Serializable {}

    EvalItem {
        Objects.requireNonNull(benchmark, "benchmark");
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(degradation, "degradation");
        if ((sample == null) == (patch == null)) {
            throw new IllegalArgumentException(
                    "an evaluation item is a sample or a patch: " + benchmark + "/" + imageId);
        }
    }

    static EvalItem of(String benchmark, Sample s) {
        return new EvalItem(benchmark, s.id(), s.degradation(), s, null);
    }

    /** Whether this is {@code benchmark}/{@code imageId}. */
    boolean is(String benchmark, String imageId) {
        return this.benchmark.equals(benchmark) && this.imageId.equals(imageId);
    }
}
