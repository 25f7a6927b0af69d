package io.daair.jobs.report;

import io.daair.data.image.RgbImage;
import io.daair.jobs.train.RoundMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-made evaluation results whose means are easy to compute by hand: three benchmarks of the paper and one
 * of a user's own, with one misrouted image.
 */
final class SyntheticEvaluation {

    static final List<String> EXPERTS = List.of("noise", "rain", "haze");

    private SyntheticEvaluation() {}

    /**
     * bsd68-s25: restored PSNR 30, 31, 32 (mean 31.00), SSIM .80 .85 .90 (mean .850), inputs 20.2 each / .40;
     * rain100l: 35, 37 (mean 36.00), SSIM .95 .97 (mean .960), inputs 26 / .80, second image routed to haze;
     * sots-outdoor: 30.5 / .97 (one image), input 15 / .70;
     * my-photos: 28, 29 / .90 .90, inputs 22 / .60 (noise).
     */
    static List<ImageResult> results() {
        List<ImageResult> r = new ArrayList<>();
        r.add(image("bsd68-s25", "test001.png", "noise", "noise", 30, 0.80, 20.2, 0.40));
        r.add(image("bsd68-s25", "test002.png", "noise", "noise", 31, 0.85, 20.2, 0.40));
        r.add(image("bsd68-s25", "test003.png", "noise", "noise", 32, 0.90, 20.2, 0.40));
        r.add(image("rain100l", "rain-1.png", "rain", "rain", 35, 0.95, 26, 0.80));
        r.add(image("rain100l", "rain-2.png", "rain", "haze", 37, 0.97, 26, 0.80));
        r.add(image("sots-outdoor", "0001_0.8_0.2.jpg", "haze", "haze", 30.5, 0.97, 15, 0.70));
        r.add(image("my-photos", "a<b>.png", "noise", "noise", 28, 0.90, 22, 0.60));
        r.add(image("my-photos", "c.png", "noise", "noise", 29, 0.90, 22, 0.60));
        return r;
    }

    /** Mean over the four benchmarks of the restored PSNR: (31 + 36 + 30.5 + 28.5) / 4. */
    static final double AVERAGE_PSNR = (31 + 36 + 30.5 + 28.5) / 4;

    /** Mean over the four benchmarks of the restored SSIM: (.85 + .96 + .97 + .90) / 4. */
    static final double AVERAGE_SSIM = (0.85 + 0.96 + 0.97 + 0.90) / 4;

    static List<RoundMetrics> training() {
        List<RoundMetrics> points = new ArrayList<>();
        for (int round = 1; round <= 6; round++) {
            points.add(new RoundMetrics(
                    round,
                    5L * round,
                    0.2 / round,
                    1.1 / round,
                    0.3 + 0.1 * round,
                    40 + round,
                    1.5,
                    0.25,
                    2e-4,
                    2,
                    40));
        }
        return points;
    }

    /** Triptychs of small gradient images for every gallery pick. */
    static List<Triptych> gallery(List<ImageResult> results) {
        List<Triptych> gallery = new ArrayList<>();
        for (Gallery.Pick pick : Gallery.select(results)) {
            gallery.add(Triptych.of(pick, gradient(0.5f), gradient(0.9f), gradient(1f)));
        }
        return gallery;
    }

    static RgbImage gradient(float contrast) {
        int w = 24;
        int h = 16;
        float[] chw = new float[3 * w * h];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    chw[(c * h + y) * w + x] = contrast * (x + y + 8 * c) / (w + h + 16f);
                }
            }
        }
        return new RgbImage(w, h, chw);
    }

    private static ImageResult image(
            String benchmark,
            String id,
            String degradation,
            String routed,
            double psnr,
            double ssim,
            double inputPsnr,
            double inputSsim) {
        return new ImageResult(benchmark, id, degradation, routed, 0.9, inputPsnr, inputSsim, psnr, ssim, 120);
    }
}
