package io.daair.nn.infer;

import java.util.ArrayList;
import java.util.List;

/**
 * The arithmetic of whole-image restoration (docs/architecture.md, "Whole network": inputs padded by
 * reflection on the bottom and right to a multiple of 8, cropped back; tiled inference only above a
 * size limit): reflect padding, cropping, tile placement and overlap-blending weights. Pure
 * functions on CHW float arrays.
 */
final class Tiling {

    private Tiling() {}

    /** {@code ceil(a / b)} for positive {@code a} and {@code b}. */
    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** The smallest multiple of {@code m} that is at least {@code n}. */
    static int roundUp(int n, int m) {
        return (n + m - 1) / m * m;
    }

    /**
     * The source index of position {@code i} of a reflect-padded axis of length {@code n}: PyTorch's
     * {@code reflect} mode (the edge is not repeated: ... 2 1 0 1 2 ... n-2 n-1 n-2 ...), folded again
     * when the padding exceeds the axis (period 2(n-1)); a length-1 axis repeats its only value.
     */
    static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int j = Math.floorMod(i, period);
        return j < n ? j : period - j;
    }

    /** Pads a CHW image on the bottom and right by reflection to {@code ph x pw}. */
    static float[] padBottomRight(float[] chw, int c, int h, int w, int ph, int pw) {
        if (ph < h || pw < w) {
            throw new IllegalArgumentException("cannot pad " + h + "x" + w + " to the smaller " + ph + "x" + pw);
        }
        float[] out = new float[c * ph * pw];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < ph; y++) {
                int srcRow = (ch * h + reflect(y, h)) * w;
                int dstRow = (ch * ph + y) * pw;
                System.arraycopy(chw, srcRow, out, dstRow, w);
                for (int x = w; x < pw; x++) {
                    out[dstRow + x] = chw[srcRow + reflect(x, w)];
                }
            }
        }
        return out;
    }

    /** The {@code th x tw} window at ({@code y0}, {@code x0}) of a CHW image of width {@code w}. */
    static float[] crop(float[] chw, int c, int h, int w, int y0, int x0, int th, int tw) {
        if (y0 < 0 || x0 < 0 || y0 + th > h || x0 + tw > w) {
            throw new IllegalArgumentException("window " + th + "x" + tw + " at (" + y0 + ", " + x0
                    + ") is outside the " + h + "x" + w + " image");
        }
        float[] out = new float[c * th * tw];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < th; y++) {
                System.arraycopy(chw, (ch * h + y0 + y) * w + x0, out, (ch * th + y) * tw, tw);
            }
        }
        return out;
    }

    /**
     * The tile length along an axis of length {@code n} (padded, a multiple of {@code multiple}) for tiles of
     * at most {@code maxTile} overlapping by at least {@code overlap}: as many tiles as {@code maxTile} needs,
     * {@code k = ceil((n - overlap) / (maxTile - overlap))}, each as short as still covers the axis,
     * {@code roundUp(ceil((n + (k - 1) overlap) / k), multiple)}. A 1024-pixel axis with 512/32 gives 3 tiles
     * of 368 instead of 3 of 512 (1.9x fewer pixels computed on a 1024x1024 image); {@code n} itself
     * when {@code n <= maxTile}.
     */
    static int balancedLength(int n, int maxTile, int overlap, int multiple) {
        if (n <= maxTile) {
            return n;
        }
        int count = ceilDiv(n - overlap, maxTile - overlap);
        return Math.min(maxTile, roundUp(ceilDiv(n + (count - 1) * overlap, count), multiple));
    }

    /**
     * Tile origins along an axis of length {@code n}: tiles of length {@code tile} that cover the axis,
     * consecutive tiles overlapping by at least {@code overlap}, the last one flush with the end. All
     * origins are multiples of 8 when {@code n}, {@code tile} and {@code overlap} are. One tile at 0
     * when {@code n <= tile} (its length is then {@code n}).
     */
    static List<Integer> starts(int n, int tile, int overlap) {
        if (tile <= overlap) {
            throw new IllegalArgumentException("tile size " + tile + " must exceed the overlap " + overlap);
        }
        List<Integer> out = new ArrayList<>();
        if (n <= tile) {
            out.add(0);
            return out;
        }
        int stride = tile - overlap;
        for (int s = 0; s + tile < n; s += stride) {
            out.add(s);
        }
        out.add(n - tile);
        return out;
    }

    /**
     * The blending weight of offset {@code i} inside a tile of length {@code len} along one axis:
     * a linear ramp 1/(ramp+1) .. 1 over the first and last {@code ramp} positions, 1 in between, never
     * 0. Ramps at the image border are dropped ({@code atStart}, {@code atEnd}), where no neighbour
     * blends in.
     */
    static float ramp(int i, int len, int ramp, boolean atStart, boolean atEnd) {
        float wgt = 1f;
        if (!atStart && i < ramp) {
            wgt = Math.min(wgt, (i + 1f) / (ramp + 1f));
        }
        if (!atEnd && len - 1 - i < ramp) {
            wgt = Math.min(wgt, (len - i) / (ramp + 1f));
        }
        return wgt;
    }
}
