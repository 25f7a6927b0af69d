package io.daair.jobs.report;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * What the evaluation measured on one image: the router's decision and the protocol's PSNR/SSIM
 * of the degraded input and of the restored output, both against the clean image.
 *
 * <p>Degradation and expert names are {@link io.daair.data.degrade.Degradation#id()}: {@code noise},
 * {@code rain}, {@code haze}, {@code blur}, {@code lowlight}; the routing is correct when they are equal.
 *
 * <p>An immutable final class rather than a record because it travels through Spark, whose Kryo (4.x) cannot
 * build records (it sets final fields through offsets that records refuse); it behaves like a record:
 * component-named accessors, value equality.
 */
@JsonAutoDetect(
        fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class ImageResult implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String benchmark;
    private final String imageId;
    private final String degradation;
    private final String routedExpert;
    private final double confidence;
    private final double inputPsnr;
    private final double inputSsim;
    private final double outputPsnr;
    private final double outputSsim;
    private final long millis;

    /**
     * @param benchmark benchmark id, e.g. {@code bsd68-s25} (see {@link PaperResults} for the ids of the paper's table)
     * @param imageId the image's name within its benchmark (its relative path)
     * @param degradation the true degradation of the image
     * @param routedExpert the expert the router chose
     * @param confidence the router's confidence in that choice, in [0, 1]
     * @param inputPsnr PSNR in dB of the degraded input
     * @param inputSsim SSIM of the degraded input
     * @param outputPsnr PSNR in dB of the restored output
     * @param outputSsim SSIM of the restored output
     * @param millis wall time of restoring this image (routing included, metrics excluded)
     */
    @JsonCreator
    public ImageResult(
            @JsonProperty("benchmark") String benchmark,
            @JsonProperty("imageId") String imageId,
            @JsonProperty("degradation") String degradation,
            @JsonProperty("routedExpert") String routedExpert,
            @JsonProperty("confidence") double confidence,
            @JsonProperty("inputPsnr") double inputPsnr,
            @JsonProperty("inputSsim") double inputSsim,
            @JsonProperty("outputPsnr") double outputPsnr,
            @JsonProperty("outputSsim") double outputSsim,
            @JsonProperty("millis") long millis) {
        this.benchmark = Objects.requireNonNull(benchmark, "benchmark");
        this.imageId = Objects.requireNonNull(imageId, "imageId");
        this.degradation = Objects.requireNonNull(degradation, "degradation");
        this.routedExpert = Objects.requireNonNull(routedExpert, "routedExpert");
        this.confidence = confidence;
        this.inputPsnr = inputPsnr;
        this.inputSsim = inputSsim;
        this.outputPsnr = outputPsnr;
        this.outputSsim = outputSsim;
        this.millis = millis;
    }

    public String benchmark() {
        return benchmark;
    }

    public String imageId() {
        return imageId;
    }

    public String degradation() {
        return degradation;
    }

    public String routedExpert() {
        return routedExpert;
    }

    public double confidence() {
        return confidence;
    }

    public double inputPsnr() {
        return inputPsnr;
    }

    public double inputSsim() {
        return inputSsim;
    }

    public double outputPsnr() {
        return outputPsnr;
    }

    public double outputSsim() {
        return outputSsim;
    }

    public long millis() {
        return millis;
    }

    /** PSNR gained by the restoration, in dB (output minus input). */
    public double psnrGain() {
        return outputPsnr - inputPsnr;
    }

    /** Whether the router chose the expert of the image's true degradation. */
    public boolean routedCorrectly() {
        return degradation.equals(routedExpert);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageResult r
                && benchmark.equals(r.benchmark)
                && imageId.equals(r.imageId)
                && degradation.equals(r.degradation)
                && routedExpert.equals(r.routedExpert)
                && Double.compare(confidence, r.confidence) == 0
                && Double.compare(inputPsnr, r.inputPsnr) == 0
                && Double.compare(inputSsim, r.inputSsim) == 0
                && Double.compare(outputPsnr, r.outputPsnr) == 0
                && Double.compare(outputSsim, r.outputSsim) == 0
                && millis == r.millis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                benchmark,
                imageId,
                degradation,
                routedExpert,
                confidence,
                inputPsnr,
                inputSsim,
                outputPsnr,
                outputSsim,
                millis);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "ImageResult[%s/%s %s->%s (%.2f), input %.2f dB/%.4f, output %.2f dB/%.4f, %d ms]",
                benchmark,
                imageId,
                degradation,
                routedExpert,
                confidence,
                inputPsnr,
                inputSsim,
                outputPsnr,
                outputSsim,
                millis);
    }
}
