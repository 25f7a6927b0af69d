package io.daair.data.image;

import java.util.Objects;

/**
 * An RGB image as planar float32 in [0, 1], laid out CHW ({@code chw[c * height * width + y * width + x]}).
 *
 * <p>The array is shared, not copied: an {@code RgbImage} is treated as immutable by every class in
 * this project, and every transform returns a new instance. 8-bit sources convert losslessly:
 * {@code fromUint8(toUint8(img))} equals {@code img} when {@code img} came from 8-bit data, since
 * {@code round((v / 255f) * 255) == v} for every {@code v} in 0..255.
 */
public record RgbImage(int width, int height, float[] chw) {

    /** Channels of every image: RGB. */
    public static final int CHANNELS = 3;

    public RgbImage {
        Objects.requireNonNull(chw, "chw");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (chw.length != CHANNELS * width * height) {
            throw new IllegalArgumentException("expected " + CHANNELS * width * height + " floats for " + width + "x"
                    + height + " RGB, got " + chw.length);
        }
    }

    /** Value of channel {@code c} at ({@code x}, {@code y}). */
    public float get(int c, int y, int x) {
        return chw[(c * height + y) * width + x];
    }

    /** Pixels per channel. */
    public int planeSize() {
        return width * height;
    }

    /** Converts 8-bit CHW samples (unsigned bytes) to an image, {@code v / 255}. */
    public static RgbImage fromUint8(int width, int height, byte[] chw) {
        float[] out = new float[chw.length];
        for (int i = 0; i < chw.length; i++) {
            out[i] = (chw[i] & 0xFF) / 255f;
        }
        return new RgbImage(width, height, out);
    }

    /** Quantises to 8-bit CHW samples: {@code round(clamp(v, 0, 1) * 255)}. */
    public byte[] toUint8() {
        byte[] out = new byte[chw.length];
        for (int i = 0; i < chw.length; i++) {
            out[i] = (byte) quantise8(chw[i]);
        }
        return out;
    }

    /** Quantises to 16-bit CHW samples (as unsigned values in {@code char}): {@code round(clamp(v) * 65535)}. */
    public char[] toUint16() {
        char[] out = new char[chw.length];
        for (int i = 0; i < chw.length; i++) {
            out[i] = (char) Math.round(clamp01(chw[i]) * 65535f);
        }
        return out;
    }

    /** This image rounded to 8 bits and back, as a file written with {@link ImageCodec#encodePng} reads. */
    public RgbImage quantised8() {
        return fromUint8(width, height, toUint8());
    }

    /** The {@code w x h} region whose top-left corner is ({@code x0}, {@code y0}). */
    public RgbImage crop(int x0, int y0, int w, int h) {
        if (x0 < 0 || y0 < 0 || w <= 0 || h <= 0 || x0 + w > width || y0 + h > height) {
            throw new IllegalArgumentException(
                    "crop " + w + "x" + h + "+" + x0 + "+" + y0 + " outside " + width + "x" + height);
        }
        float[] out = new float[CHANNELS * w * h];
        for (int c = 0; c < CHANNELS; c++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(chw, (c * height + y0 + y) * width + x0, out, (c * h + y) * w, w);
            }
        }
        return new RgbImage(w, h, out);
    }

    /** Static helper: {@code round(clamp(v, 0, 1) * 255)}. */
    public static int quantise8(float v) {
        return Math.round(clamp01(v) * 255f);
    }

    private static float clamp01(float v) {
        return v < 0f ? 0f : (v > 1f ? 1f : v);
    }
}
