package io.daair.jobs.evaluate;

import io.daair.data.datasets.Sample;
import io.daair.data.degrade.Degradation;
import java.io.Serializable;
import java.util.Objects;

/**
 * One image to evaluate, as sent to an executor: a clean file with either a real degraded partner or a
 * synthetic degradation to make (the fields of a dataset {@link Sample}), or a prepared patch (raw uint8 CHW
 * pixels of both images). A final class rather than a record: Spark's Kryo serializer cannot build records
 * (nor daair-data's {@code Sample} record, hence its fields here).
 */
final class EvalItem implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String benchmark;
    private final String imageId;
    private final Degradation degradation;
    private final String cleanPath;
    private final String degradedPath;
    private final double sigma;
    private final String seedKey;
    private final byte[] cleanPixels;
    private final byte[] degradedPixels;
    private final int width;
    private final int height;

    private EvalItem(
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
            int height) {
        this.benchmark = Objects.requireNonNull(benchmark, "benchmark");
        this.imageId = Objects.requireNonNull(imageId, "imageId");
        this.degradation = Objects.requireNonNull(degradation, "degradation");
        this.cleanPath = cleanPath;
        this.degradedPath = degradedPath;
        this.sigma = sigma;
        this.seedKey = seedKey;
        this.cleanPixels = cleanPixels;
        this.degradedPixels = degradedPixels;
        this.width = width;
        this.height = height;
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

    String benchmark() {
        return benchmark;
    }

    String imageId() {
        return imageId;
    }

    Degradation degradation() {
        return degradation;
    }

    /** The clean file, or null for a patch. */
    String cleanPath() {
        return cleanPath;
    }

    /** The real degraded file; null for a synthetic sample or a patch. */
    String degradedPath() {
        return degradedPath;
    }

    /** Noise level (0..255 scale) of synthetic noise, else 0. */
    double sigma() {
        return sigma;
    }

    /** The sample's key ({@link Sample#key()}), from which its synthetic seed derives; null for a patch. */
    String seedKey() {
        return seedKey;
    }

    boolean isPatch() {
        return cleanPixels != null;
    }

    boolean isSynthetic() {
        return !isPatch() && degradedPath == null;
    }

    byte[] cleanPixels() {
        return cleanPixels;
    }

    byte[] degradedPixels() {
        return degradedPixels;
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    @Override
    public String toString() {
        return benchmark + "/" + imageId + (isPatch() ? " (patch)" : " (" + cleanPath + ")");
    }
}
