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
}
