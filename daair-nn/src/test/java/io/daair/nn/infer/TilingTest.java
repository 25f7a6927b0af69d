package io.daair.nn.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TilingTest {

    @Test
    void reflectMatchesPytorchReflectPadding() {
        // torch.nn.functional.pad(torch.arange(5.), (0, 3), mode="reflect") = [0, 1, 2, 3, 4, 3, 2, 1]
        int[] got = new int[8];
        for (int i = 0; i < 8; i++) {
            got[i] = Tiling.reflect(i, 5);
        }
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 3, 2, 1}, got);
        // padding longer than the axis folds again: 0 1 | 0 1 0 1 ...; a single row repeats
        assertEquals(0, Tiling.reflect(2, 2));
        assertEquals(1, Tiling.reflect(3, 2));
        assertEquals(0, Tiling.reflect(7, 1));
    }

    @Test
    void padsBottomAndRightByReflection() {
        float[] img = {1, 2, 3, 4, 5, 6}; // one channel, 2 x 3
        float[] padded = Tiling.padBottomRight(img, 1, 2, 3, 3, 5);
        assertArrayEquals(new float[] {1, 2, 3, 2, 1, 4, 5, 6, 5, 4, 1, 2, 3, 2, 1}, padded);
    }

    @Test
    void cropsAWindowOfEveryChannel() {
        float[] img = new float[2 * 3 * 4];
        for (int i = 0; i < img.length; i++) {
            img[i] = i;
        }
        assertArrayEquals(new float[] {5, 6, 9, 10, 17, 18, 21, 22}, Tiling.crop(img, 2, 3, 4, 1, 1, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Tiling.crop(img, 2, 3, 4, 2, 0, 2, 2));
    }

    @Test
    void tileStartsCoverTheAxisWithTheRequestedOverlap() {
        assertEquals(List.of(0, 8, 16, 24), Tiling.starts(40, 16, 8));
        assertEquals(List.of(0), Tiling.starts(16, 16, 8));
        assertEquals(List.of(0), Tiling.starts(8, 16, 8));
        for (int n = 40; n < 200; n += 8) {
            List<Integer> s = Tiling.starts(n, 32, 8);
            assertEquals(0, s.get(0));
            assertEquals(n - 32, s.get(s.size() - 1), "last tile flush with the end");
            for (int i = 1; i < s.size(); i++) {
                int overlap = s.get(i - 1) + 32 - s.get(i);
                assertTrue(overlap >= 8 && overlap < 32, "overlap " + overlap + " at n=" + n);
            }
        }
    }

    @Test
    void balancedTilesAreAsFewAsTheMaximumNeedsAndAsSmallAsStillCover() {
        assertEquals(368, Tiling.balancedLength(1024, 512, 32, 8));
        assertEquals(List.of(0, 336, 656), Tiling.starts(1024, 368, 32));
        assertEquals(400, Tiling.balancedLength(400, 512, 32, 8), "an axis within the maximum is one tile");
        for (int n = 40; n < 400; n += 8) {
            int length = Tiling.balancedLength(n, 64, 16, 8);
            assertTrue(length <= 64 && length % 8 == 0, "length " + length + " at n=" + n);
            int count = Tiling.starts(n, length, 16).size();
            assertEquals(Tiling.starts(n, 64, 16).size(), count, "tile count at n=" + n);
            if (n > 64) {
                assertTrue(
                        Tiling.starts(n, length - 8, 16).size() > count, "a shorter tile needs more tiles at n=" + n);
            }
            List<Integer> s = Tiling.starts(n, length, 16);
            for (int i = 1; i < s.size(); i++) {
                assertTrue(s.get(i - 1) + length - s.get(i) >= 16, "overlap at n=" + n);
            }
        }
    }

    @Test
    void rampsCrossFadeToOneAcrossAnExactOverlap() {
        // tiles [0, 16) and [8, 24) overlap on [8, 16); ramps of 8
        for (int p = 8; p < 16; p++) {
            float left = Tiling.ramp(p, 16, 8, true, false);
            float right = Tiling.ramp(p - 8, 16, 8, false, true);
            assertEquals(1f, left + right, 1e-6f, "position " + p);
        }
        assertEquals(1f, Tiling.ramp(0, 16, 8, true, false), "no ramp at the image border");
        assertEquals(1f / 9f, Tiling.ramp(15, 16, 8, true, false), 1e-7f);
    }
}
