package io.daair.data.patch;

/**
 * The eight flips/rotations of a square patch (the dihedral group D4), on CHW uint8 planes. Transform
 * {@code t} in 0..7 applies, in this order: a transpose if bit 2 is set, a horizontal flip if bit 0 is set, a
 * vertical flip if bit 1 is set. {@code t = 0} is the identity; {@code 5} (transpose + horizontal flip) is a
 * 90-degree clockwise rotation.
 */
public final class Dihedral {

    /** Number of transforms. */
    public static final int COUNT = 8;

    private Dihedral() {}

    /** {@code src} is a CHW patch of {@code channels x n x n} samples; returns a new array. */
    public static byte[] apply(byte[] src, int channels, int n, int t) {
        if (t < 0 || t >= COUNT) {
            throw new IllegalArgumentException("dihedral transform must be in 0..7, got " + t);
        }
        boolean transpose = (t & 4) != 0;
        boolean flipX = (t & 1) != 0;
        boolean flipY = (t & 2) != 0;
        byte[] out = new byte[src.length];
        for (int c = 0; c < channels; c++) {
            int base = c * n * n;
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    // output (x, y) comes from: undo the flips, then the transpose
                    int sx = flipX ? n - 1 - x : x;
                    int sy = flipY ? n - 1 - y : y;
                    int from = transpose ? base + sx * n + sy : base + sy * n + sx;
                    out[base + y * n + x] = src[from];
                }
            }
        }
        return out;
    }
}
