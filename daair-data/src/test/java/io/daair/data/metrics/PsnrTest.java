package io.daair.data.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PsnrTest {

    static List<SkimageFixtures.Case> cases() throws IOException {
        return SkimageFixtures.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void agreesWithScikitImage(SkimageFixtures.Case c) {
        assertEquals(c.psnr(), Psnr.compute(c.clean(), c.test()), 1e-4);
    }

    @Test
    void handComputedValue() {
        // mse = (0.1^2 + 0^2 + 0.3^2 + 0^2) / 4 = 0.025, psnr = 10 log10(1 / 0.025) = 16.0206 dB
        assertEquals(16.0206, Psnr.compute(new float[] {0.5f, 0f, 1f, 0.2f}, new float[] {0.6f, 0f, 0.7f, 0.2f}), 1e-4);
    }

    @Test
    void rejectsImagesOfDifferentSizes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Psnr.compute(new float[12], new float[9]));
        assertEquals("PSNR needs two non-empty images of the same size; got 12 and 9 values", e.getMessage());
    }
}
