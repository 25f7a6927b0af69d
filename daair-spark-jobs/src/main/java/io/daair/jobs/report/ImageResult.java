package io.daair.jobs.report;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * What the evaluation measured on one image: the router's decision and the protocol's PSNR/SSIM
 * of the degraded input and of the restored output, both against the clean image.
 *
 * <p>Degradation and expert names are {@link io.daair.data.degrade.Degradation#id()}: {@code noise},
 * {@code rain}, {@code haze}, {@code blur}, {@code lowlight}; the routing is correct when they are equal.
 *
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
public record ImageResult(
        String benchmark,
        String imageId,
        String degradation,
        String routedExpert,
        double confidence,
        double inputPsnr,
        double inputSsim,
        double outputPsnr,
        double outputSsim,
        long millis)
        implements Serializable {

    public ImageResult {
        Objects.requireNonNull(benchmark, "benchmark");
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(degradation, "degradation");
        Objects.requireNonNull(routedExpert, "routedExpert");
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
