package io.daair.data.datasets;

import io.daair.data.degrade.Degradation;
import io.daair.data.degrade.DegradationParams;
import io.daair.data.degrade.Degrader;
import io.daair.data.degrade.Degraders;
import io.daair.data.degrade.Seeds;
import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/**
 * One training or test image: a clean file and either a real degraded partner or, when {@code degradedPath}
 * is null, a synthetic degradation to apply. Paths are Hadoop URI strings (serialisable, sent to executors).
 *
 * @param dataset the source's name (e.g. "bsd400", "rain100l")
 * @param id the image's id within its dataset, unique there (relative path or benchmark number)
 * @param degradation the degradation type (class label)
 * @param cleanPath the clean (ground-truth) image
 * @param degradedPath the real degraded image, or null for a synthetic degradation
 * @param sigma noise level on the 0..255 scale for synthetic noise, else 0
 * @param repeat copy number under the mixing protocol (0 for the first copy)
 * @param fileParams parameters known from the file name (RESIDE's {@code A} and {@code beta}), possibly empty
 */
public record Sample(
        String dataset,
        String id,
        Degradation degradation,
        String cleanPath,
        String degradedPath,
        double sigma,
        int repeat,
        Map<String, Double> fileParams)
        implements Serializable {

    public Sample {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(degradation, "degradation");
        Objects.requireNonNull(cleanPath, "cleanPath");
        fileParams = Map.copyOf(fileParams);
        if (degradedPath == null && degradation == Degradation.NOISE && !(sigma > 0)) {
            throw new IllegalArgumentException("synthetic noise sample " + dataset + "/" + id + " needs sigma > 0");
        }
    }

    /** A real pair. */
    public static Sample pair(String dataset, String id, Degradation d, String clean, String degraded) {
        return new Sample(dataset, id, d, clean, degraded, 0, 0, Map.of());
    }

    /** A clean image to degrade synthetically ({@code sigma} for noise only). */
    public static Sample synthetic(String dataset, String id, Degradation d, String clean, double sigma) {
        return new Sample(dataset, id, d, clean, null, d == Degradation.NOISE ? sigma : 0, 0, Map.of());
    }

    /** Whether the degraded image is generated rather than read. */
    public boolean isSynthetic() {
        return degradedPath == null;
    }

    /** This sample as copy number {@code r}. */
    public Sample withRepeat(int r) {
        return new Sample(dataset, id, degradation, cleanPath, degradedPath, sigma, r, fileParams);
    }

    /** This sample with a known-parameter map. */
    public Sample withFileParams(Map<String, Double> params) {
        return new Sample(dataset, id, degradation, cleanPath, degradedPath, sigma, repeat, params);
    }

    /** Unique key: dataset, id, degradation, sigma, repeat ("bsd400/test001.png#noise:25#3"). */
    public String key() {
        String level = sigma > 0 ? ":" + (sigma == Math.rint(sigma) ? Long.toString((long) sigma) : sigma) : "";
        return dataset + "/" + id + "#" + degradation.id() + level + "#" + repeat;
    }

    /** The seed of this sample under a base seed: {@code Seeds.forKey(base, key())}. */
    public long seed(long baseSeed) {
        return Seeds.forKey(baseSeed, key());
    }

    /** The synthetic generator for this sample; fails for a real pair. */
    public Degrader degrader() {
        if (!isSynthetic()) {
            throw new IllegalStateException(key() + " is a real pair, not synthetic");
        }
        return Degraders.synthetic(degradation, sigma);
    }

    /** The parameters recorded for a real pair: {@code source=real}, the file name and any file parameters. */
    public DegradationParams realParams() {
        DegradationParams.Builder b = DegradationParams.builder(degradation, 0)
                .put("source", "real")
                .put("file", degradedPath == null ? "" : degradedPath.substring(degradedPath.lastIndexOf('/') + 1));
        fileParams.forEach(b::put);
        return b.build();
    }
}
