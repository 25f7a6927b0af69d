package io.daair.nn.infer;

import io.daair.nn.config.BadNetInputException;
import java.util.List;

/**
 * Restores an image of any size (docs/architecture.md, "Whole network"): reflect-pads the bottom and
 * right to a multiple of 8, runs the network, crops back; reports the routers' degradation estimate.
 *
 * <p>Images whose padded height and width are both at most {@code tileSize} run whole. Larger ones
 * run as tiles of at most {@code tileSize x tileSize}, overlapping by at least {@code overlap} pixels and
 * blended with linear ramps across each overlap, so that the network's working set depends on the tile
 * size only (the heap holds the image, its padded copy and two accumulators: 8 floats per padded pixel).
 * The tiles are as few as {@code tileSize} needs and as small as still covers the image
 * ({@link Tiling#balancedLength}): a 1024x1024 image with 512/32 runs 9 tiles of 368x368, not 9 of
 * 512x512 overlapping by up to 480 pixels. Tiling is
 * an approximation: channel attention and the routers pool over the whole input, so a tile sees
 * different statistics than the whole image; the router probabilities of a tiled image are the mean
 * over its tiles.
 *
 * <p>Not thread-safe if the model is not (SameDiff is not): one Restorer per thread.
 */
public final class Restorer {

    /** Input and output channels (RGB). */
    static final int CHANNELS = 3;

    /** Height and width of the network's input must be multiples of this (three 2x down-samplings). */
    static final int MULTIPLE = 8;

    /**
     * Tiling options.
     *
     * @param tileSize images up to this size (after padding to a multiple of 8) run whole; larger ones in
     *     tiles of at most this size; a multiple of 8, at least 16
     * @param overlap minimum overlap of neighbouring tiles, a multiple of 8 below {@code tileSize}
     */
    public record Options(int tileSize, int overlap) {
        /** Whole images up to 512x512, 32-pixel overlaps above. */
        public static final Options DEFAULT = new Options(512, 32);

        public Options {
            if (tileSize < 2 * MULTIPLE || tileSize % MULTIPLE != 0) {
                throw new BadNetInputException(
                        "tile size must be a multiple of " + MULTIPLE + " and at least 16, got " + tileSize);
            }
            if (overlap < 0 || overlap % MULTIPLE != 0 || overlap >= tileSize) {
                throw new BadNetInputException("tile overlap must be a multiple of " + MULTIPLE + " in [0, tile size "
                        + tileSize + "), got " + overlap);
            }
        }
    }

    private final ImageModel model;
    private final Options options;

    public Restorer(ImageModel model, Options options) {
        this.model = model;
        this.options = options;
    }

    public Options options() {
        return options;
    }

    /**
     * Restores one image.
     *
     * @param chw [3, height, width] row-major, values in [0, 1]
     */
    public RestoreResult restore(float[] chw, int height, int width) {
        if (height < 1 || width < 1 || chw.length != (long) CHANNELS * height * width) {
            throw new IllegalArgumentException("expected a 3 x " + height + " x " + width + " image ("
                    + (long) CHANNELS * height * width + " values), got " + chw.length + " values");
        }
        int ph = Tiling.roundUp(height, MULTIPLE);
        int pw = Tiling.roundUp(width, MULTIPLE);
        float[] padded =
                ph == height && pw == width ? chw : Tiling.padBottomRight(chw, CHANNELS, height, width, ph, pw);
        ImageModel.Output out = ph <= options.tileSize() && pw <= options.tileSize()
                ? model.forward(padded, ph, pw)
                : tiled(padded, ph, pw);
        float[] restored =
                ph == height && pw == width ? out.chw() : Tiling.crop(out.chw(), CHANNELS, ph, pw, 0, 0, height, width);
        return decide(restored, height, width, out.probabilities());
    }

    /** Runs overlapping tiles one at a time and blends them; probabilities are the mean over tiles. */
    private ImageModel.Output tiled(float[] padded, int ph, int pw) {
        int th = Tiling.balancedLength(ph, options.tileSize(), options.overlap(), MULTIPLE);
        int tw = Tiling.balancedLength(pw, options.tileSize(), options.overlap(), MULTIPLE);
        List<Integer> ys = Tiling.starts(ph, th, options.overlap());
        List<Integer> xs = Tiling.starts(pw, tw, options.overlap());
        float[] sum = new float[CHANNELS * ph * pw];
        float[] weight = new float[ph * pw];
        float[] probabilities = null;
        for (int y0 : ys) {
            for (int x0 : xs) {
                float[] tile = Tiling.crop(padded, CHANNELS, ph, pw, y0, x0, th, tw);
                ImageModel.Output out = model.forward(tile, th, tw);
                accumulate(out.chw(), sum, weight, ph, pw, y0, x0, th, tw);
                float[] p = out.probabilities();
                if (probabilities == null) {
                    probabilities = new float[p.length];
                }
                for (int e = 0; e < p.length; e++) {
                    probabilities[e] += p[e] / (ys.size() * xs.size());
                }
            }
        }
        for (int c = 0; c < CHANNELS; c++) {
            for (int i = 0; i < ph * pw; i++) {
                sum[c * ph * pw + i] /= weight[i];
            }
        }
        return new ImageModel.Output(sum, probabilities);
    }

    private void accumulate(float[] tile, float[] sum, float[] weight, int ph, int pw, int y0, int x0, int th, int tw) {
        int ramp = options.overlap();
        for (int y = 0; y < th; y++) {
            float wy = Tiling.ramp(y, th, ramp, y0 == 0, y0 + th == ph);
            for (int x = 0; x < tw; x++) {
                float w = wy * Tiling.ramp(x, tw, ramp, x0 == 0, x0 + tw == pw);
                int dst = (y0 + y) * pw + x0 + x;
                weight[dst] += w;
                for (int c = 0; c < CHANNELS; c++) {
                    sum[c * ph * pw + dst] += w * tile[(c * th + y) * tw + x];
                }
            }
        }
    }

    private static RestoreResult decide(float[] chw, int height, int width, float[] probabilities) {
        if (probabilities.length == 0) {
            return new RestoreResult(chw, height, width, -1, Double.NaN, probabilities);
        }
        int best = 0;
        for (int e = 1; e < probabilities.length; e++) {
            if (probabilities[e] > probabilities[best]) {
                best = e;
            }
        }
        return new RestoreResult(chw, height, width, best, probabilities[best], probabilities);
    }
}
