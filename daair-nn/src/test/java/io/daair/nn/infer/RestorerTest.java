package io.daair.nn.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Padding, cropping, tiling and routing arithmetic of {@link Restorer} with stand-in models. */
class RestorerTest {

    private static float[] randomImage(int h, int w, long seed) {
        Random r = new Random(seed);
        float[] img = new float[3 * h * w];
        for (int i = 0; i < img.length; i++) {
            img[i] = r.nextFloat();
        }
        return img;
    }

    /** Returns its input and fixed probabilities; records the sizes it was called with. */
    private static final class Identity implements ImageModel {
        final List<int[]> calls = new ArrayList<>();
        final float[] probabilities;

        Identity(float... probabilities) {
            this.probabilities = probabilities;
        }

        @Override
        public Output forward(float[] chw, int height, int width) {
            calls.add(new int[] {height, width});
            return new Output(chw.clone(), probabilities);
        }
    }

    /** A 3x3 box filter with zero padding: receptive-field radius 1. */
    private static ImageModel.Output box(float[] chw, int h, int w) {
        float[] out = new float[chw.length];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float s = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int yy = y + dy;
                            int xx = x + dx;
                            if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                                s += chw[(c * h + yy) * w + xx];
                            }
                        }
                    }
                    out[(c * h + y) * w + x] = s / 9f;
                }
            }
        }
        return new ImageModel.Output(out, new float[] {1f});
    }

    @Test
    void sizesThatAreNotMultiplesOf8ComeBackAtTheirSize() {
        for (int[] size : new int[][] {{13, 21}, {1, 1}, {8, 9}, {31, 7}}) {
            Identity model = new Identity(0.2f, 0.7f, 0.1f);
            float[] img = randomImage(size[0], size[1], 1);
            RestoreResult r = new Restorer(model, Restorer.Options.DEFAULT).restore(img, size[0], size[1]);
            assertEquals(size[0], r.height());
            assertEquals(size[1], r.width());
            assertArrayEquals(img, r.chw(), "identity model: padding is cropped away exactly");
            int[] call = model.calls.get(0);
            assertEquals(Tiling.roundUp(size[0], 8), call[0]);
            assertEquals(Tiling.roundUp(size[1], 8), call[1]);
        }
    }

    @Test
    void reportsTheMostProbableDegradationAndItsProbability() {
        RestoreResult r = new Restorer(new Identity(0.2f, 0.7f, 0.1f), Restorer.Options.DEFAULT)
                .restore(randomImage(8, 8, 2), 8, 8);
        assertEquals(1, r.degradation());
        assertEquals(0.7f, r.confidence(), 1e-7);
        RestoreResult tie = new Restorer(new Identity(0.4f, 0.4f, 0.2f), Restorer.Options.DEFAULT)
                .restore(randomImage(8, 8, 2), 8, 8);
        assertEquals(0, tie.degradation(), "ties go to the lowest index, like argmax");
        RestoreResult none = new Restorer(new Identity(), Restorer.Options.DEFAULT).restore(randomImage(8, 8, 2), 8, 8);
        assertEquals(-1, none.degradation(), "a network without experts has no decision");
        assertTrue(Double.isNaN(none.confidence()));
    }

    @Test
    void tilesNeverExceedTheTileSizeAndBlendBackTheImage() {
        Identity model = new Identity(0.5f, 0.5f);
        float[] img = randomImage(50, 37, 3);
        RestoreResult r = new Restorer(model, new Restorer.Options(16, 8)).restore(img, 50, 37);
        // padded 56 x 40: 6 x 4 tiles of 16 x 16, memory bounded by the tile whatever the image size
        assertEquals(24, model.calls.size());
        for (int[] call : model.calls) {
            assertArrayEquals(new int[] {16, 16}, call);
        }
        assertArrayEquals(img, r.chw(), 1e-6f);
    }

    @Test
    void tilesAreNoLargerThanTheirCountNeeds() {
        Identity model = new Identity(0.5f, 0.5f);
        float[] img = randomImage(40, 64, 6);
        RestoreResult r = new Restorer(model, new Restorer.Options(32, 8)).restore(img, 40, 64);
        // rows: 2 tiles of at most 32 needed, and 24 = (40 + 8) / 2 cover 40; columns: 3 tiles,
        // ceil((64 + 2 * 8) / 3) = 27 rounded up to a multiple of 8
        assertEquals(6, model.calls.size());
        for (int[] call : model.calls) {
            assertArrayEquals(new int[] {24, 32}, call);
        }
        assertArrayEquals(img, r.chw(), 1e-6f);
    }

    @Test
    void tiledDiffersFromWholeOnlyNearInnerTileEdges() {
        int h = 40;
        int w = 40;
        float[] img = randomImage(h, w, 4);
        float[] whole = new Restorer(RestorerTest::box, new Restorer.Options(64, 8))
                .restore(img, h, w)
                .chw();
        float[] tiled = new Restorer(RestorerTest::box, new Restorer.Options(16, 8))
                .restore(img, h, w)
                .chw();
        // tiles start at 0, 8, 16, 24 on both axes: inner edges at 8, 16, 24 (starts) and 15, 23, 31 (ends)
        List<Integer> edges = List.of(8, 16, 24, 15, 23, 31);
        int differing = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = (c * h + y) * w + x;
                    boolean nearEdge = edges.contains(y) || edges.contains(x);
                    if (!nearEdge) {
                        assertEquals(whole[i], tiled[i], 1e-6f, "pixel " + y + "," + x + " away from tile edges");
                    } else if (Math.abs(whole[i] - tiled[i]) > 1e-6f) {
                        differing++;
                    }
                }
            }
        }
        assertTrue(differing > 0, "zero padding at tile edges does change those pixels");
    }

    @Test
    void probabilitiesOfATiledImageAreTheMeanOverTiles() {
        int[] count = {0};
        ImageModel alternating = (chw, h, w) ->
                new ImageModel.Output(chw, count[0]++ % 2 == 0 ? new float[] {1f, 0f} : new float[] {0f, 1f});
        // 24 x 40 in 16 x 16 tiles with overlap 8: 2 x 4 = 8 tiles, 4 of each
        RestoreResult r =
                new Restorer(alternating, new Restorer.Options(16, 8)).restore(randomImage(24, 40, 5), 24, 40);
        assertEquals(8, count[0]);
        assertArrayEquals(new float[] {0.5f, 0.5f}, r.probabilities(), 1e-6f);
    }

    @Test
    void rejectsBadOptionsAndBadImages() {
        assertThrows(IllegalArgumentException.class, () -> new Restorer.Options(20, 8));
        assertThrows(IllegalArgumentException.class, () -> new Restorer.Options(16, 16));
        Restorer restorer = new Restorer(new Identity(1f), Restorer.Options.DEFAULT);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> restorer.restore(new float[10], 2, 2));
        assertTrue(e.getMessage().contains("expected a 3 x 2 x 2 image (12 values), got 10"), e.getMessage());
    }
}
