package io.daair.jobs.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The figures of one benchmark: means over its images (the paper's tables average per image, then report
 * one PSNR/SSIM per benchmark), the router's accuracy and the mean restoration time.
 *
 * @param benchmark benchmark id
 * @param images number of images
 * @param inputPsnr mean PSNR of the degraded inputs, dB
 * @param inputSsim mean SSIM of the degraded inputs
 * @param psnr mean PSNR of the restored outputs, dB
 * @param ssim mean SSIM of the restored outputs
 * @param routerAccuracy fraction of images routed to the expert of their true degradation
 * @param meanMillis mean restoration time per image, ms
 */
public record BenchmarkSummary(
        String benchmark,
        int images,
        double inputPsnr,
        double inputSsim,
        double psnr,
        double ssim,
        double routerAccuracy,
        double meanMillis) {

    /** The summary of {@code results}, which must all belong to {@code benchmark} (and be at least one). */
    public static BenchmarkSummary of(String benchmark, List<ImageResult> results) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("Benchmark " + benchmark + " has no image results to summarise");
        }
        for (ImageResult r : results) {
            if (!r.benchmark().equals(benchmark)) {
                throw new IllegalArgumentException(
                        "Result for image " + r.imageId() + " of " + r.benchmark() + " given as " + benchmark);
            }
        }
        return new BenchmarkSummary(
                benchmark,
                results.size(),
                mean(results, ImageResult::inputPsnr),
                mean(results, ImageResult::inputSsim),
                mean(results, ImageResult::outputPsnr),
                mean(results, ImageResult::outputSsim),
                mean(results, r -> r.routedCorrectly() ? 1 : 0),
                mean(results, r -> r.millis()));
    }

    /** One summary per benchmark, in the order benchmarks first appear in {@code results}. */
    public static List<BenchmarkSummary> ofAll(List<ImageResult> results) {
        Map<String, List<ImageResult>> byBenchmark = new LinkedHashMap<>();
        for (ImageResult r : results) {
            byBenchmark.computeIfAbsent(r.benchmark(), b -> new ArrayList<>()).add(r);
        }
        List<BenchmarkSummary> summaries = new ArrayList<>();
        byBenchmark.forEach((benchmark, rs) -> summaries.add(of(benchmark, rs)));
        return summaries;
    }

    /** Mean PSNR gained by the restoration, dB. */
    public double psnrGain() {
        return psnr - inputPsnr;
    }

    private static double mean(List<ImageResult> results, ToDoubleFunction<ImageResult> value) {
        double sum = 0;
        for (ImageResult r : results) {
            sum += value.applyAsDouble(r);
        }
        return sum / results.size();
    }
}
