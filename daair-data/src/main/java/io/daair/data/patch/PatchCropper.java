package io.daair.data.patch;

import io.daair.data.BadInputException;
import io.daair.data.degrade.RandomStream;
import io.daair.data.degrade.Seeds;
import io.daair.data.image.RgbImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts training patches from a clean/degraded pair: centre-crop both to a multiple of 16 (so any crop of the
 * U-Net input divides evenly), then {@link PatchSpec#perImage()} random {@code size x size} crops at the same
 * place in both, each with one of the eight {@link Dihedral} transforms when enabled.
 *
 * <p>Patch {@code k} of a sample with seed {@code s} uses {@code RandomStream(Seeds.child(s, k))}: draws
 * {@code x = nextInt(W - size + 1)}, {@code y = nextInt(H - size + 1)}, then {@code t = nextInt(8)} (only if
 * dihedral is on).
 */
public final class PatchCropper {

    private PatchCropper() {}

    /** One cut patch pair, CHW uint8, and where it came from. */
    public record Patch(int index, long seed, int x, int y, int transform, int size, byte[] clean, byte[] degraded) {}

    /** {@code image} centre-cropped to the largest multiple of 16 in each direction. */
    public static RgbImage centreCrop16(RgbImage image) {
        int w = image.width() / 16 * 16;
        int h = image.height() / 16 * 16;
        if (w == 0 || h == 0) {
            throw new BadInputException(
                    "image " + image.width() + "x" + image.height() + " is smaller than 16 pixels on a side");
        }
        if (w == image.width() && h == image.height()) {
            return image;
        }
        return image.crop((image.width() - w) / 2, (image.height() - h) / 2, w, h);
    }

    /**
     * The patches of one pair (same size, already centre-cropped or not: this crops again, idempotently). An
     * image smaller than the patch after the centre crop is an {@link IllegalArgumentException} naming sizes.
     */
    public static List<Patch> cut(RgbImage clean, RgbImage degraded, PatchSpec spec, long sampleSeed) {
        if (clean.width() != degraded.width() || clean.height() != degraded.height()) {
            throw new BadInputException("clean " + clean.width() + "x" + clean.height() + " and degraded "
                    + degraded.width() + "x" + degraded.height() + " differ in size");
        }
        RgbImage c = centreCrop16(clean);
        RgbImage d = centreCrop16(degraded);
        int n = spec.size();
        if (c.width() < n || c.height() < n) {
            throw new BadInputException("image " + clean.width() + "x" + clean.height() + " (" + c.width() + "x"
                    + c.height() + " after the centre crop to a multiple of 16) is smaller than a " + n + "x" + n
                    + " patch");
        }
        byte[] c8 = c.toUint8();
        byte[] d8 = d.toUint8();
        List<Patch> out = new ArrayList<>(spec.perImage());
        for (int k = 0; k < spec.perImage(); k++) {
            long seed = Seeds.child(sampleSeed, k);
            RandomStream r = new RandomStream(seed);
            int x = r.nextInt(c.width() - n + 1);
            int y = r.nextInt(c.height() - n + 1);
            int t = spec.dihedral() ? r.nextInt(Dihedral.COUNT) : 0;
            byte[] pc = Dihedral.apply(crop(c8, c.width(), c.height(), x, y, n), 3, n, t);
            byte[] pd = Dihedral.apply(crop(d8, d.width(), d.height(), x, y, n), 3, n, t);
            out.add(new Patch(k, seed, x, y, t, n, pc, pd));
        }
        return out;
    }

    private static byte[] crop(byte[] chw, int w, int h, int x0, int y0, int n) {
        byte[] out = new byte[3 * n * n];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < n; y++) {
                System.arraycopy(chw, (c * h + y0 + y) * w + x0, out, (c * n + y) * n, n);
            }
        }
        return out;
    }
}
