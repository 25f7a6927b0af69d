package io.daair.data.degrade;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.data.image.ImageStore;
import io.daair.data.image.RgbImage;
import java.nio.file.Files;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticDegradationsTest {

    @TempDir
    java.nio.file.Path dir;

    /** A smooth 48x32 test picture: horizontal red ramp, vertical green ramp, constant blue. */
    static RgbImage picture() {
        int w = 48;
        int h = 32;
        byte[] chw = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                chw[y * w + x] = (byte) (40 + 4 * x);
                chw[w * h + y * w + x] = (byte) (30 + 5 * y);
                chw[2 * w * h + y * w + x] = (byte) 120;
            }
        }
        return RgbImage.fromUint8(w, h, chw);
    }

    private static double mean(RgbImage img) {
        double s = 0;
        for (float v : img.chw()) {
            s += v;
        }
        return s / img.chw().length;
    }

    @Test
    void everyGeneratorIsSeededKeepsSizeAndRecordsItsParameters() {
        RgbImage clean = picture();
        for (Degradation d : Degradation.values()) {
            Degrader g = Degraders.synthetic(d);
            Degraded a = g.apply(clean, 5);
            Degraded b = g.apply(clean, 5);
            Degraded c = g.apply(clean, 6);
            assertEquals(d, g.kind());
            assertEquals(clean.width(), a.image().width());
            assertEquals(clean.height(), a.image().height());
            assertArrayEquals(a.image().chw(), b.image().chw(), d + " not deterministic");
            assertFalse(java.util.Arrays.equals(a.image().chw(), c.image().chw()), d + " ignores its seed");
            assertFalse(java.util.Arrays.equals(a.image().chw(), clean.chw()), d + " changed nothing");
            assertArrayEquals(a.image().chw(), a.image().quantised8().chw(), d + " not 8-bit");
            String json = a.params().toJson();
            assertTrue(json.startsWith("{\"kind\":\"" + d.id() + "\",\"seed\":5,"), json);
        }
    }

    @Test
    void hazeFollowsTheScatteringModelWithinResideRanges() {
        RgbImage clean = picture();
        Degraded hazy = new HazeDegrader().apply(clean, 11);
        double beta = hazy.params().number("beta");
        double a = hazy.params().number("A");
        assertTrue(
                beta >= 0.04 && beta < 0.2 && a >= 0.8 && a < 1.0, hazy.params().toJson());
        // bottom row: d = near = 1, so t = exp(-beta)
        double t = Math.exp(-beta);
        int y = clean.height() - 1;
        for (int c = 0; c < 3; c++) {
            double expected = clean.get(c, y, 7) * t + a * (1 - t);
            assertEquals(expected, hazy.image().get(c, y, 7), 0.5 / 255 + 1e-6);
        }
        // haze thickens towards the top: less contrast between the left and right ends of a row
        double bottom = hazy.image().get(0, y, 47) - hazy.image().get(0, y, 0);
        double top = hazy.image().get(0, 0, 47) - hazy.image().get(0, 0, 0);
        assertTrue(top < bottom, top + " vs " + bottom);
    }

    @Test
    void rainOnlyBrightensAndLowLightDarkens() {
        RgbImage clean = picture();
        RgbImage rain = new RainDegrader().apply(clean, 3).image();
        for (int i = 0; i < clean.chw().length; i++) {
            assertTrue(rain.chw()[i] >= clean.chw()[i] - 1e-6, "rain darkened sample " + i);
        }
        RgbImage dark = new LowLightDegrader().apply(clean, 3).image();
        assertTrue(mean(dark) < 0.3 * mean(clean), mean(dark) + " vs " + mean(clean));
    }

    @Test
    void blurKernelsSumToOneSoFlatImagesStayFlat() {
        float[] flat = new float[3 * 20 * 20];
        java.util.Arrays.fill(flat, 0.4f);
        RgbImage out =
                new BlurDegrader(true).apply(new RgbImage(20, 20, flat), 8).image();
        for (float v : out.chw()) {
            assertEquals(102 / 255f, v, 1e-6); // round(0.4 * 255) = 102
        }
        BlurDegrader.Kernel k = BlurDegrader.motionKernel(new RandomStream(1), 12, 0.3);
        assertEquals(1.0, java.util.Arrays.stream(k.weights()).sum(), 1e-9);
    }

    @Test
    void degradationNamesAndLabels() {
        assertEquals(Degradation.LOW_LIGHT, Degradation.fromId("low-light"));
        assertEquals(Degradation.HAZE, Degradation.fromLabel(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Degradation.fromId("snow"));
        assertTrue(e.getMessage().contains("snow") && e.getMessage().contains("lowlight=4"), e.getMessage());
        assertEquals(3, Degradation.firstN(3).length);
    }

    @Test
    void contactSheetIsWrittenAsPng() throws Exception {
        ImageStore store = ImageStore.local();
        Path photo = new Path(dir.toUri().toString(), "photo.png");
        store.writePng(picture(), photo);
        Path sheet = new Path(dir.toUri().toString(), "sheet.png");
        ContactSheet.write(store, photo, sheet, 1);
        RgbImage img = store.read(sheet);
        int tiles = ContactSheet.COLUMNS.size();
        assertEquals(tiles * 48 + (tiles - 1) * ContactSheet.GUTTER, img.width());
        assertEquals(32, img.height());
        assertArrayEquals(
                picture().crop(0, 0, 48, 32).chw(), img.crop(0, 0, 48, 32).chw());
        assertTrue(Files.size(dir.resolve("sheet.png")) > 1000);
    }
}
