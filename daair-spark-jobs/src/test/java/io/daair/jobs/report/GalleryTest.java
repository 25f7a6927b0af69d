package io.daair.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class GalleryTest {

    @Test
    void bestMedianAndWorstByPsnrGainPerBenchmark() {
        List<String> picks = Gallery.select(SyntheticEvaluation.results()).stream()
                .map(p -> p.result().benchmark() + " " + p.rank() + " "
                        + p.result().imageId())
                .toList();
        assertEquals(
                List.of(
                        "bsd68-s25 best test003.png", // gains 9.8, 10.8, 11.8
                        "bsd68-s25 median test002.png",
                        "bsd68-s25 worst test001.png",
                        "rain100l best rain-2.png", // gains 11, 9: two images, no median
                        "rain100l worst rain-1.png",
                        "sots-outdoor best 0001_0.8_0.2.jpg", // one image, shown once
                        "my-photos best c.png",
                        "my-photos worst a<b>.png"),
                picks);
    }

    @Test
    void aRestorationThatLostPsnrIsNeverBadgedBest() {
        // blur: every restoration lost PSNR (gains -1, -2, -3); haze: gains +1 and 0
        List<ImageResult> results = List.of(
                result("blur", "a.png", 25, 24),
                result("blur", "b.png", 25, 23),
                result("blur", "c.png", 25, 22),
                result("haze", "d.png", 15, 16),
                result("haze", "e.png", 15, 15));
        List<String> picks = Gallery.select(results).stream()
                .map(p -> p.result().benchmark() + " " + p.rank() + " "
                        + p.result().imageId())
                .toList();
        assertEquals(
                List.of(
                        "blur least loss a.png",
                        "blur median b.png",
                        "blur worst c.png",
                        "haze best d.png",
                        "haze worst e.png"),
                picks);
    }

    @Test
    void noGainIsNotBest() {
        List<Gallery.Pick> picks = Gallery.select(List.of(result("noise", "a.png", 20, 20)));
        assertEquals("least loss", picks.get(0).rank());
    }

    private static ImageResult result(String benchmark, String id, double inputPsnr, double outputPsnr) {
        return new ImageResult(benchmark, id, "blur", "blur", 0.9, inputPsnr, 0.5, outputPsnr, 0.5, 120);
    }
}
