package io.daair.data.patch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.daair.data.image.RgbImage;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PatchCropperTest {

    /** A 1-channel-per-plane 2x2 patch [[a, b], [c, d]] in each of 3 channels (channel offset 10*c). */
    private static byte[] abcd() {
        byte[] p = new byte[12];
        for (int c = 0; c < 3; c++) {
            p[4 * c] = (byte) (10 * c + 1);
            p[4 * c + 1] = (byte) (10 * c + 2);
            p[4 * c + 2] = (byte) (10 * c + 3);
            p[4 * c + 3] = (byte) (10 * c + 4);
        }
        return p;
    }

    @Test
    void dihedralTransformsMatchHandDrawnGrids() {
        // [[1,2],[3,4]]: hflip [[2,1],[4,3]], vflip [[3,4],[1,2]], transpose [[1,3],[2,4]], rot90 cw [[3,1],[4,2]]
        assertArrayEquals(new byte[] {1, 2, 3, 4}, first(Dihedral.apply(abcd(), 3, 2, 0)));
        assertArrayEquals(new byte[] {2, 1, 4, 3}, first(Dihedral.apply(abcd(), 3, 2, 1)));
        assertArrayEquals(new byte[] {3, 4, 1, 2}, first(Dihedral.apply(abcd(), 3, 2, 2)));
        assertArrayEquals(new byte[] {4, 3, 2, 1}, first(Dihedral.apply(abcd(), 3, 2, 3)));
        assertArrayEquals(new byte[] {1, 3, 2, 4}, first(Dihedral.apply(abcd(), 3, 2, 4)));
        assertArrayEquals(new byte[] {3, 1, 4, 2}, first(Dihedral.apply(abcd(), 3, 2, 5)));
        byte[] t = Dihedral.apply(abcd(), 3, 2, 5);
        assertEquals(23, t[8]); // third channel keeps its own values: c=2 -> 21..24, rotated: [23, 21, 24, 22]
        Set<String> distinct = new HashSet<>();
        for (int k = 0; k < 8; k++) {
            distinct.add(java.util.Arrays.toString(first(Dihedral.apply(abcd(), 3, 2, k))));
        }
        assertEquals(8, distinct.size());
    }

    private static byte[] first(byte[] chw) {
        return java.util.Arrays.copyOf(chw, 4);
    }

    @Test
    void centreCropToMultipleOf16() {
        RgbImage img = new RgbImage(50, 37, new float[3 * 50 * 37]);
        RgbImage c = PatchCropper.centreCrop16(img);
        assertEquals(48, c.width());
        assertEquals(32, c.height());
    }

    @Test
    void cropsAreAlignedSeededAndInsideTheImage() {
        int w = 40;
        int h = 36; // -> 32x32 after the centre crop (offsets 4 and 2)
        byte[] chw = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                chw[y * w + x] = (byte) x;
                chw[w * h + y * w + x] = (byte) y;
            }
        }
        RgbImage clean = RgbImage.fromUint8(w, h, chw);
        PatchSpec spec = new PatchSpec(8, 5, 1, false);
        List<PatchCropper.Patch> patches = PatchCropper.cut(clean, clean, spec, 77);
        assertEquals(5, patches.size());
        for (PatchCropper.Patch p : patches) {
            assertTrue(p.x() >= 0 && p.x() <= 24 && p.y() >= 0 && p.y() <= 24);
            assertEquals(4 + p.x(), p.clean()[0]); // red holds x in the original image
            assertEquals(2 + p.y(), p.clean()[64]); // green holds y
            assertArrayEquals(p.clean(), p.degraded());
            assertEquals(0, p.transform());
        }
        List<PatchCropper.Patch> again = PatchCropper.cut(clean, clean, spec, 77);
        for (int i = 0; i < 5; i++) {
            assertEquals(patches.get(i).x(), again.get(i).x());
            assertArrayEquals(patches.get(i).clean(), again.get(i).clean());
        }
    }

    @Test
    void tooSmallImagesAndSizeMismatchesAreErrors() {
        RgbImage small = new RgbImage(100, 100, new float[3 * 100 * 100]);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> PatchCropper.cut(small, small, PatchSpec.defaults(1), 1));
        assertTrue(e.getMessage().contains("96x96") && e.getMessage().contains("128x128"), e.getMessage());
        RgbImage other = new RgbImage(100, 96, new float[3 * 100 * 96]);
        assertThrows(IllegalArgumentException.class, () -> PatchCropper.cut(small, other, PatchSpec.defaults(1), 1));
    }

    @Test
    void specFromConfigUsesReferenceDefaultsAndNamesBadKeys() {
        PatchSpec d = PatchSpec.fromConfig(ConfigFactory.load());
        assertEquals(128, d.size());
        assertEquals(1, d.perImage());
        assertTrue(d.dihedral());
        var bad = ConfigFactory.parseString("daair.data.patch.size = 100").withFallback(ConfigFactory.load());
        ConfigException.BadValue e = assertThrows(ConfigException.BadValue.class, () -> PatchSpec.fromConfig(bad));
        assertTrue(
                e.getMessage().contains("daair.data.patch.size")
                        && e.getMessage().contains("100"),
                e.getMessage());
    }
}
