package io.daair.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchmarkSummaryTest {

    @Test
    void meansOverImagesAndRouterAccuracyPerBenchmark() {
        List<BenchmarkSummary> all = BenchmarkSummary.ofAll(SyntheticEvaluation.results());
        assertEquals(
                List.of("bsd68-s25", "rain100l", "sots-outdoor", "my-photos"),
                all.stream().map(BenchmarkSummary::benchmark).toList());
        BenchmarkSummary rain = all.get(1);
        assertEquals(2, rain.images());
        assertEquals(36.0, rain.psnr(), 1e-12); // (35 + 37) / 2
        assertEquals(0.96, rain.ssim(), 1e-12); // (.95 + .97) / 2
        assertEquals(26.0, rain.inputPsnr(), 1e-12);
        assertEquals(10.0, rain.psnrGain(), 1e-12);
        assertEquals(0.5, rain.routerAccuracy(), 1e-12); // rain-2 went to haze
        assertEquals(120, rain.meanMillis(), 1e-12);
        assertEquals(31.0, all.get(0).psnr(), 1e-12); // (30 + 31 + 32) / 3
        assertEquals(1.0, all.get(0).routerAccuracy(), 1e-12);
    }

    @Test
    void refusesResultsOfAnotherBenchmark() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> BenchmarkSummary.of("gopro", SyntheticEvaluation.results().subList(0, 1)));
        assertEquals("Result for image test001.png of bsd68-s25 given as gopro", e.getMessage());
    }
}
