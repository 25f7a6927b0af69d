package io.daair.data.patch;

import io.daair.data.degrade.Degradation;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One row of the patch dataset, Spark-free; {@link PatchSchema} maps it to the Parquet columns. {@code clean} and
 * {@code degraded} are raw uint8, CHW, {@code 3 * height * width} bytes each, shared, not copied: do not modify
 * them.
 *
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
public record PatchRecord(
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
        int transform)
        implements Serializable {

    public PatchRecord {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(sourcePath, "sourcePath");
        Objects.requireNonNull(degradation, "degradation");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(clean, "clean");
        Objects.requireNonNull(degraded, "degraded");
        int expected = 3 * height * width;
        if (clean.length != expected || degraded.length != expected) {
            throw new IllegalArgumentException("patch " + sourcePath + "#" + patchIndex + ": expected " + expected
                    + " bytes per image for 3x" + height + "x" + width + ", got clean " + clean.length + ", degraded "
                    + degraded.length);
        }
    }

    /** Class label ({@code degradation().label()}). */
    public int label() {
        return degradation.label();
    }

    /** Equal fields, the images compared by content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PatchRecord p
                && dataset.equals(p.dataset)
                && sourcePath.equals(p.sourcePath)
                && Objects.equals(degradedPath, p.degradedPath)
                && degradation == p.degradation
                && params.equals(p.params)
                && Arrays.equals(clean, p.clean)
                && Arrays.equals(degraded, p.degraded)
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
