package io.daair.jobs.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

    @Test
    void countsTrueDegradationAgainstRoutedExpert() {
        ConfusionMatrix m = ConfusionMatrix.of(SyntheticEvaluation.EXPERTS, SyntheticEvaluation.results());
        assertEquals(List.of("noise", "rain", "haze"), m.labels());
        assertArrayEquals(new long[][] {{5, 0, 0}, {0, 1, 1}, {0, 0, 1}}, m.counts());
        assertEquals(1, m.count("rain", "haze"));
        assertEquals(8, m.total());
        assertEquals(7 / 8.0, m.accuracy(), 1e-12);
    }

    @Test
    void aLabelWithoutExpertGetsItsOwnRowAndCountsAsMisrouted() {
        List<ImageResult> results = List.of(
                new ImageResult("gopro", "a.png", "blur", "noise", 0.5, 20, 0.5, 21, 0.6, 10),
                new ImageResult("bsd68-s25", "b.png", "noise", "noise", 0.9, 20, 0.5, 30, 0.9, 10));
        ConfusionMatrix m = ConfusionMatrix.of(SyntheticEvaluation.EXPERTS, results);
        assertEquals(List.of("noise", "rain", "haze", "blur"), m.labels());
        assertArrayEquals(new long[] {1, 0, 0}, m.counts()[3]);
        assertEquals(0.5, m.accuracy(), 1e-12);
    }

    @Test
    void anUnknownRoutedExpertIsAnError() {
        List<ImageResult> results = List.of(new ImageResult("x", "a.png", "noise", "blur", 0.5, 20, 0.5, 21, 0.6, 10));
        var e = assertThrows(
                IllegalArgumentException.class, () -> ConfusionMatrix.of(SyntheticEvaluation.EXPERTS, results));
        assertEquals(
                "Image a.png of x was routed to 'blur', which is not one of the model's experts [noise, rain, haze]",
                e.getMessage());
    }

    @Test
    void isImmutable() {
        long[][] counts = {{1, 0}, {0, 1}};
        ConfusionMatrix m = new ConfusionMatrix(List.of("a", "b"), List.of("a", "b"), counts);
        counts[0][0] = 9;
        m.counts()[1][1] = 9;
        assertArrayEquals(new long[][] {{1, 0}, {0, 1}}, m.counts());
    }
}
