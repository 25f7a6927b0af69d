package io.daair.jobs.report;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Chooses the images the report shows: per benchmark, the best, the median and the worst by PSNR gain
 * (restored minus degraded), so that a reader sees what the model does well and where it fails. The top image is
 * "best" only if its restoration gained PSNR; when every restoration of a benchmark lost (or kept) PSNR it is
 * the "least loss".
 */
public final class Gallery {

    /** One chosen image: {@code rank} is {@code best}, {@code least loss}, {@code median} or {@code worst}. */
    public record Pick(String rank, ImageResult result) implements Serializable {

        public Pick {
            Objects.requireNonNull(rank, "rank");
            Objects.requireNonNull(result, "result");
        }

        @Override
        public String toString() {
            return rank + " " + result;
        }
    }

    private static final Comparator<ImageResult> BY_GAIN_DESCENDING =
            Comparator.comparingDouble(ImageResult::psnrGain).reversed().thenComparing(ImageResult::imageId);

    private Gallery() {}

    /**
     * Best, median and worst image of every benchmark, benchmarks in first-seen order; a benchmark with one or
     * two images gives one or two picks (no image is shown twice).
     */
    public static List<Pick> select(List<ImageResult> results) {
        Map<String, List<ImageResult>> byBenchmark = new LinkedHashMap<>();
        for (ImageResult r : results) {
            byBenchmark.computeIfAbsent(r.benchmark(), b -> new ArrayList<>()).add(r);
        }
        List<Pick> picks = new ArrayList<>();
        for (List<ImageResult> rs : byBenchmark.values()) {
            List<ImageResult> sorted = new ArrayList<>(rs);
            sorted.sort(BY_GAIN_DESCENDING);
            int last = sorted.size() - 1;
            ImageResult top = sorted.get(0);
            picks.add(new Pick(top.psnrGain() > 0 ? "best" : "least loss", top));
            if (last >= 2) {
                picks.add(new Pick("median", sorted.get(last / 2)));
            }
            if (last >= 1) {
                picks.add(new Pick("worst", sorted.get(last)));
            }
        }
        return picks;
    }
}
