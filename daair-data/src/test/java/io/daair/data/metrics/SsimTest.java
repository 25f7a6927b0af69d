package io.daair.data.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.data.image.RgbImage;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SsimTest {

    static List<SkimageFixtures.Case> cases() throws IOException {
        return SkimageFixtures.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void agreesWithScikitImage(SkimageFixtures.Case c) {
        assertEquals(c.ssim(), Ssim.compute(c.clean(), c.test(), c.width(), c.height()), 1e-4);
    }

    @Test
    void isSymmetricAndOneOnlyForIdenticalImages() throws IOException {
        SkimageFixtures.Case c = cases().get(0);
        double ab = Ssim.compute(c.clean(), c.test(), c.width(), c.height());
        assertEquals(ab, Ssim.compute(c.test(), c.clean(), c.width(), c.height()), 1e-12);
        assertTrue(ab < 1);
    }

    @Test
    void acceptsRgbImages() throws IOException {
        SkimageFixtures.Case c = cases().get(1);
        RgbImage clean = new RgbImage(c.width(), c.height(), c.clean());
        RgbImage test = new RgbImage(c.width(), c.height(), c.test());
        assertEquals(c.ssim(), Ssim.compute(clean, test), 1e-4);
        assertEquals(c.psnr(), Psnr.compute(clean, test), 1e-4);
        var e = assertThrows(IllegalArgumentException.class, () -> Ssim.compute(clean, clean.crop(0, 0, 20, 12)));
        assertEquals(
                "Cannot compare a 20x12 image with a " + c.width() + "x" + c.height() + " reference: sizes differ",
                e.getMessage());
    }

    @Test
    void rejectsImagesSmallerThanTheWindow() {
        var e = assertThrows(
                IllegalArgumentException.class, () -> Ssim.compute(new float[600], new float[600], 20, 10));
        assertEquals("SSIM needs images of at least 11x11 pixels (its Gaussian window); got 20x10", e.getMessage());
    }

    @Test
    void rejectsMismatchedShapes() {
        var e = assertThrows(
                IllegalArgumentException.class, () -> Ssim.compute(new float[3 * 144], new float[2 * 144], 12, 12));
        assertEquals(
                "SSIM needs two CHW images of the same shape with 12x12 pixels per channel; got 432 and 288 values",
                e.getMessage());
    }
}
