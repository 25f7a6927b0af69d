package io.daair.jobs.report;

import io.daair.data.image.ImageCodec;
import io.daair.data.image.RgbImage;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * One gallery entry of the report: the degraded input, the restored output and the clean image of a
 * {@link Gallery.Pick}, as PNG images small enough to embed in the HTML report. Immutable: the images are copied
 * in and out.
 *
 * @param pick which image and why it was chosen
 * @param degradedPng the degraded input, PNG
 * @param restoredPng the restored output, PNG
 * @param cleanPng the clean reference, PNG
 */
public record Triptych(Gallery.Pick pick, byte[] degradedPng, byte[] restoredPng, byte[] cleanPng)
        implements Serializable {

    public Triptych {
        Objects.requireNonNull(pick, "pick");
        degradedPng = degradedPng.clone();
        restoredPng = restoredPng.clone();
        cleanPng = cleanPng.clone();
    }

    @Override
    public byte[] degradedPng() {
        return degradedPng.clone();
    }

    @Override
    public byte[] restoredPng() {
        return restoredPng.clone();
    }

    @Override
    public byte[] cleanPng() {
        return cleanPng.clone();
    }

    /** Largest width and height of the gallery images, in pixels (three side by side fill a report page). */
    public static final int THUMBNAIL_SIZE = 300;

    /** Images are shown at half size or more, so that noise and blur stay visible; larger ones are cropped. */
    private static final double MIN_SCALE = 0.5;

    /**
     * Gallery images of the three (same-size) images: scaled down (area averaging) to fit
     * {@value #THUMBNAIL_SIZE} pixels, but never below half size, then centre-cropped to at most
     * {@value #THUMBNAIL_SIZE}x{@value #THUMBNAIL_SIZE}; PNG, so the restoration is seen without compression
     * artefacts.
     */
    public static Triptych of(Gallery.Pick pick, RgbImage degraded, RgbImage restored, RgbImage clean) {
        return new Triptych(pick, thumbnailPng(degraded), thumbnailPng(restored), thumbnailPng(clean));
    }

    private static byte[] thumbnailPng(RgbImage image) {
        BufferedImage full = ImageCodec.toBuffered8(image);
        double fit = (double) THUMBNAIL_SIZE / Math.max(image.width(), image.height());
        double scale = Math.min(1.0, Math.max(MIN_SCALE, fit));
        int w = Math.max(1, (int) Math.round(image.width() * scale));
        int h = Math.max(1, (int) Math.round(image.height() * scale));
        int cropW = Math.min(w, THUMBNAIL_SIZE);
        int cropH = Math.min(h, THUMBNAIL_SIZE);
        BufferedImage thumb = full;
        if (scale < 1 || cropW < w || cropH < h) {
            thumb = new BufferedImage(cropW, cropH, BufferedImage.TYPE_INT_RGB);
            var g = thumb.createGraphics();
            Image scaled = scale < 1 ? full.getScaledInstance(w, h, Image.SCALE_AREA_AVERAGING) : full;
            g.drawImage(scaled, -(w - cropW) / 2, -(h - cropH) / 2, null); // centre crop
            g.dispose();
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(thumb, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode a gallery thumbnail as PNG", e);
        }
        return png.toByteArray();
    }
}
