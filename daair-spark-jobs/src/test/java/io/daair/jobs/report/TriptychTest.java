package io.daair.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.daair.data.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class TriptychTest {

    private static final Gallery.Pick PICK =
            new Gallery.Pick("best", SyntheticEvaluation.results().get(0));

    @Test
    void smallImagesKeepTheirSizeAndPixels() throws IOException {
        RgbImage image = SyntheticEvaluation.gradient(1f);
        BufferedImage png = decode(Triptych.of(PICK, image, image, image).cleanPng());
        assertEquals(24, png.getWidth());
        assertEquals(16, png.getHeight());
        int rgb = png.getRGB(5, 3);
        assertEquals(Math.round(image.get(0, 3, 5) * 255), rgb >> 16 & 0xFF);
        assertEquals(Math.round(image.get(2, 3, 5) * 255), rgb & 0xFF);
    }

    @Test
    void largeImagesAreHalvedAtMostThenCentreCropped() throws IOException {
        RgbImage wide = new RgbImage(900, 400, new float[3 * 900 * 400]); // fit would be 1/3: halved, 450x200
        BufferedImage png = decode(Triptych.of(PICK, wide, wide, wide).degradedPng());
        assertEquals(Triptych.THUMBNAIL_SIZE, png.getWidth());
        assertEquals(200, png.getHeight());
        RgbImage medium = new RgbImage(480, 320, new float[3 * 480 * 320]); // fits at 0.625: 300x200
        BufferedImage scaled = decode(Triptych.of(PICK, medium, medium, medium).restoredPng());
        assertEquals(300, scaled.getWidth());
        assertEquals(200, scaled.getHeight());
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(png));
    }
}
