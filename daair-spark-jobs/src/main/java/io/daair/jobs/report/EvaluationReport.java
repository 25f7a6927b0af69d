package io.daair.jobs.report;

import io.daair.jobs.cli.UserException;
import io.daair.jobs.train.RoundMetrics;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.databind.annotation.JsonDeserialize;

/**
 * Every figure of one evaluation run: what {@code report.json} holds and the HTML and Markdown reports show.
 *
 * <p>Build it with {@link #of}, which computes the per-benchmark summaries and the routing confusion matrix
 * from the per-image results; write it with {@link ReportWriter}.
 *
 * @param model what was evaluated (checkpoint or safetensors path, as the user gave it)
 * @param created when the report was made, ISO-8601 UTC
 * @param experts the model's experts in index order ({@code noise, rain, haze[, blur, lowlight]})
 * @param benchmarks one summary per benchmark, in evaluation order
 * @param routing true degradation x routed expert over all images
 * @param images every image's figures
 * @param training the training run's curves, empty when no run directory was given
 * @param failures the images that could not be evaluated (not in {@code images} nor in any figure)
 */
public record EvaluationReport(
        String model,
        String created,
        List<String> experts,
        List<BenchmarkSummary> benchmarks,
        ConfusionMatrix routing,
        List<ImageResult> images,
        @JsonDeserialize(contentUsing = RoundMetrics.InOtherDocuments.class) List<RoundMetrics> training,
        List<FailedImage> failures) {

    public EvaluationReport {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(routing, "routing");
        experts = List.copyOf(experts);
        benchmarks = List.copyOf(benchmarks);
        images = List.copyOf(images);
        training = List.copyOf(training);
        failures = failures == null ? List.of() : List.copyOf(failures); // null: a report.json from before
    }

    /**
     * The report of {@code images}, created now.
     *
     * @param model what was evaluated
     * @param experts the model's experts in index order
     * @param images the per-image results of every benchmark, at least one
     * @param training the training curves ({@link RoundMetrics#read}), or an empty list
     * @throws IllegalArgumentException if there are no results, or one was routed to an unknown expert
     */
    public static EvaluationReport of(
            String model, List<String> experts, List<ImageResult> images, List<RoundMetrics> training) {
        if (images.isEmpty()) {
            throw UserException.badInput("No image was evaluated for " + model + ": nothing to report");
        }
        return new EvaluationReport(
                model,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                experts,
                BenchmarkSummary.ofAll(images),
                ConfusionMatrix.of(experts, images),
                images,
                training,
                List.of());
    }

    /** This report with the images that could not be evaluated. */
    public EvaluationReport withFailures(List<FailedImage> failed) {
        return new EvaluationReport(model, created, experts, benchmarks, routing, images, training, failed);
    }

    /** Mean over benchmarks of the restored outputs' PSNR and SSIM (the "average" column of the paper). */
    @JsonProperty("average")
    public Score average() {
        return new Score(meanOverBenchmarks(BenchmarkSummary::psnr), meanOverBenchmarks(BenchmarkSummary::ssim));
    }

    /** Mean over benchmarks of the degraded inputs' PSNR and SSIM. */
    @JsonProperty("inputAverage")
    public Score inputAverage() {
        return new Score(
                meanOverBenchmarks(BenchmarkSummary::inputPsnr), meanOverBenchmarks(BenchmarkSummary::inputSsim));
    }

    /** The paper's published rows, written into {@code report.json} so that it holds every figure shown. */
    @JsonProperty("paper")
    public List<PaperResults.Row> paper() {
        return PaperResults.rows();
    }

    private double meanOverBenchmarks(ToDoubleFunction<BenchmarkSummary> value) {
        return benchmarks.stream().mapToDouble(value).average().orElse(Double.NaN);
    }
}
