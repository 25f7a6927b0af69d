package io.daair.data.patch;

import io.daair.data.degrade.Degradation;
import java.io.Serializable;
import java.util.Objects;

/**
 * One row of the patch dataset, Spark-free; see {@link PatchSchema} for the Parquet columns and the encoding of
 * {@code clean} and {@code degraded} (raw uint8, CHW, {@code 3 * height * width} bytes each).
 *
 * <p>Plain final class rather than a record so that Spark's bean encoders and Kryo can both build it; fields are
 * set once in the constructor and never change (the byte arrays are shared, not copied: do not modify them).
 */
public final class PatchRecord implements Serializable {

    private final String dataset;
    private final String sourcePath;
    private final String degradedPath;
    private final Degradation degradation;
    private final String params;
    private final byte[] clean;
    private final byte[] degraded;
    private final int height;
    private final int width;
    private final long seed;
    private final int patchIndex;
    private final int x;
    private final int y;
    private final int transform;

    /**
     * @param dataset source dataset name
     * @param sourcePath the clean image the patch was cut from
     * @param degradedPath the real degraded image, or null when the degradation was synthetic
     * @param degradation degradation type (its label is the class label)
     * @param params degradation parameters as one line of JSON ({@code DegradationParams.toJson()})
     * @param clean clean patch, CHW uint8
     * @param degraded degraded patch, CHW uint8
     * @param height patch height
     * @param width patch width
     * @param seed the patch's own seed (crop position, transform)
     * @param patchIndex the patch's number within its sample
     * @param x left edge of the crop in the centre-cropped image
     * @param y top edge of the crop in the centre-cropped image
     * @param transform the {@link Dihedral} transform 0..7
     */
    public PatchRecord(
            String dataset,
            String sourcePath,
            String degradedPath,
            Degradation degradation,
            String params,
            byte[] clean,
            byte[] degraded,
            int height,
            int width,
            long seed,
            int patchIndex,
            int x,
            int y,
            int transform) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.sourcePath = Objects.requireNonNull(sourcePath, "sourcePath");
        this.degradedPath = degradedPath;
        this.degradation = Objects.requireNonNull(degradation, "degradation");
        this.params = Objects.requireNonNull(params, "params");
        this.clean = Objects.requireNonNull(clean, "clean");
        this.degraded = Objects.requireNonNull(degraded, "degraded");
        this.height = height;
        this.width = width;
        this.seed = seed;
        this.patchIndex = patchIndex;
        this.x = x;
        this.y = y;
        this.transform = transform;
        int expected = 3 * height * width;
        if (clean.length != expected || degraded.length != expected) {
            throw new IllegalArgumentException("patch " + sourcePath + "#" + patchIndex + ": expected " + expected
                    + " bytes per image for 3x" + height + "x" + width + ", got clean " + clean.length + ", degraded "
                    + degraded.length);
        }
    }

    public String dataset() {
        return dataset;
    }

    public String sourcePath() {
        return sourcePath;
    }

    /** The real degraded image's path, or null for a synthetic degradation. */
    public String degradedPath() {
        return degradedPath;
    }

    public Degradation degradation() {
        return degradation;
    }

    /** Class label ({@code degradation().label()}). */
    public int label() {
        return degradation.label();
    }

    public String params() {
        return params;
    }

    /** Clean patch, CHW uint8 (shared array). */
    public byte[] clean() {
        return clean;
    }

    /** Degraded patch, CHW uint8 (shared array). */
    public byte[] degraded() {
        return degraded;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public long seed() {
        return seed;
    }

    public int patchIndex() {
        return patchIndex;
    }

    public int x() {
        return x;
    }

    public int y() {
        return y;
    }

    public int transform() {
        return transform;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PatchRecord p
                && dataset.equals(p.dataset)
                && sourcePath.equals(p.sourcePath)
                && Objects.equals(degradedPath, p.degradedPath)
                && degradation == p.degradation
                && params.equals(p.params)
                && java.util.Arrays.equals(clean, p.clean)
                && java.util.Arrays.equals(degraded, p.degraded)
                && height == p.height
                && width == p.width
                && seed == p.seed
                && patchIndex == p.patchIndex
                && x == p.x
                && y == p.y
                && transform == p.transform;
    }

    @Override
    public int hashCode() {
        return Objects.hash(sourcePath, degradation, seed, patchIndex);
    }

    @Override
    public String toString() {
        return "PatchRecord[" + dataset + " " + sourcePath + " #" + patchIndex + " " + degradation.id() + " " + width
                + "x" + height + " seed=" + seed + " " + params + "]";
    }
}
