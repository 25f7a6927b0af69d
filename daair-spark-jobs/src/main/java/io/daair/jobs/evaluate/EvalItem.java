package io.daair.jobs.evaluate;

import io.daair.data.datasets.Sample;
import io.daair.data.degrade.Degradation;
import java.io.Serializable;
import java.util.Objects;

/**
 * One image to evaluate, as sent to an executor: a clean file with either a real degraded partner or a
 * synthetic degradation to make (the fields of a dataset {@link Sample}), or a prepared patch (raw uint8 CHW
 * pixels of both images).
 *
 * @param cleanPath the clean file, or null for a patch
 * @param degradedPath the real degraded file; null for a synthetic sample or a patch
 * @param sigma noise level (0..255 scale) of synthetic noise, else 0
 * @param seedKey the sample's key ({@link Sample#key()}), from which its synthetic seed derives; null for a patch
 */
record EvalItem(
        String benchmark,
        String imageId,
        Degradation degradation,
        String cleanPath,
        String degradedPath,
        double sigma,
        String seedKey,
        byte[] cleanPixels,
        byte[] degradedPixels,
        int width,
        int height)
        implements Serializable {

    EvalItem {
        Objects.requireNonNull(benchmark, "benchmark");
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(degradation, "degradation");
    }

    /** A dataset sample of {@code benchmark}: its files, and for a synthetic one its sigma and seed key. */
    static EvalItem of(String benchmark, Sample s) {
        return new EvalItem(
                benchmark,
                s.id(),
                s.degradation(),
                s.cleanPath(),
                s.degradedPath(),
                s.sigma(),
                s.key(),
                null,
                null,
                0,
                0);
    }

    /** A prepared patch (raw uint8 CHW). */
    static EvalItem patch(
            String benchmark, String imageId, Degradation d, byte[] clean, byte[] degraded, int w, int h) {
        return new EvalItem(benchmark, imageId, d, null, null, 0, null, clean, degraded, w, h);
    }

    boolean isPatch() {
        return cleanPixels != null;
    }

    boolean isSynthetic() {
        return !isPatch() && degradedPath == null;
    }

    @Override
    public String toString() {
        return benchmark + "/" + imageId + (isPatch() ? " (patch)" : " (" + cleanPath + ")");
    }
}
