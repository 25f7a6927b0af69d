package io.daair.data.image;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.awt.Point;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes image files to {@link RgbImage} and encodes PNG, through Java ImageIO.
 *
 * <p>Formats: PNG (1/2/4/8/16-bit, grey, grey+alpha, palette, RGB, RGBA), JPEG (baseline and progressive,
 * also CMYK/YCCK through TwelveMonkeys), BMP (WED's format), PPM/PGM (binary and ASCII), TIFF and WebP (decode
 * only, TwelveMonkeys). Rules, the same for every format:
 *
 * <ul>
 *   <li>Grey becomes three equal channels; samples are read as stored (no colour-space conversion, so an 8-bit
 *       grey value {@code v} becomes {@code v / 255} in every channel).
 *   <li>Alpha is dropped, not composited: an RGBA pixel keeps its RGB values whatever its alpha.
 *   <li>16-bit samples map to {@code v / 65535}; palette entries are looked up.
 *   <li>Embedded ICC profiles and EXIF orientation are ignored (the benchmark sets are sRGB and upright).
 * </ul>
 *
 * <p>Any failure (empty input, no reader for the bytes, corrupt data, a truncated file even when the decoder
 * only warns about it) is an {@link ImageDecodeException} that names the file and the reason.
 */
public final class ImageCodec {

    static {
        // Spark loads the application jar in a child class loader; make ImageIO see TwelveMonkeys' readers.
        ImageIO.setUseCache(false);
        ImageIO.scanForPlugins();
    }

    /** The key of the pixel budget in {@code daair-data}'s reference.conf. */
    public static final String MAX_PIXELS_KEY = "daair.data.image.max-pixels";

    /** The pixel budget when none is configured: 100 megapixels (the reference.conf default). */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

    private ImageCodec() {}

    /** Reads {@value #MAX_PIXELS_KEY}; a value below 1 is a {@link ConfigException.BadValue} naming the key. */
    public static long maxPixels(Config config) {
        long max = config.getLong(MAX_PIXELS_KEY);
        if (max < 1) {
            throw new ConfigException.BadValue(
                    config.getValue(MAX_PIXELS_KEY).origin(),
                    MAX_PIXELS_KEY,
                    "must be >= 1 (width x height of the largest image to decode), got " + max);
        }
        return max;
    }

    /** Decodes {@code bytes} within the default pixel budget; {@code name} (a path or URI) only appears in errors. */
    public static RgbImage decode(byte[] bytes, String name) throws ImageDecodeException {
        return decode(bytes, name, DEFAULT_MAX_PIXELS);
    }

    /**
     * Decodes {@code bytes}, refusing from the header alone (before any pixel buffer exists) an image of more
     * than {@code maxPixels} pixels.
     */
    public static RgbImage decode(byte[] bytes, String name, long maxPixels) throws ImageDecodeException {
        return toRgb(decodeBuffered(bytes, name, maxPixels));
    }

    /** Reads width and height from the header only, without decoding pixels. */
    public static int[] readSize(byte[] bytes, String name) throws ImageDecodeException {
        ImageReader reader = openReader(bytes, name);
        try {
            return new int[] {reader.getWidth(0), reader.getHeight(0)};
        } catch (IOException | RuntimeException e) {
            throw new ImageDecodeException(name, "corrupt " + format(reader) + " header: " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
    }

    /** Reads width and height from a stream's header, reading no further than the header needs. */
    public static int[] readSize(InputStream stream, String name) throws ImageDecodeException {
        try (ImageInputStream in = ImageIO.createImageInputStream(stream)) {
            Iterator<ImageReader> readers =
                    in == null ? java.util.Collections.emptyIterator() : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageDecodeException(name, "empty, unsupported or unrecognised image format");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageDecodeException(name, "corrupt image header: " + e.getMessage(), e);
        }
    }

    /** Encodes 8-bit RGB PNG (values rounded, {@link RgbImage#toUint8()}). */
    public static byte[] encodePng(RgbImage image) {
        return writePng(toBuffered8(image));
    }

    /** Encodes 16-bit RGB PNG ({@link RgbImage#toUint16()}). */
    public static byte[] encodePng16(RgbImage image) {
        int w = image.width();
        int h = image.height();
        char[] planes = image.toUint16();
        short[] interleaved = new short[3 * w * h];
        int plane = w * h;
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                interleaved[3 * i + c] = (short) planes[c * plane + i];
            }
        }
        ComponentColorModel cm = new ComponentColorModel(
                ColorSpace.getInstance(ColorSpace.CS_sRGB),
                new int[] {16, 16, 16},
                false,
                false,
                Transparency.OPAQUE,
                DataBuffer.TYPE_USHORT);
        PixelInterleavedSampleModel sm =
                new PixelInterleavedSampleModel(DataBuffer.TYPE_USHORT, w, h, 3, 3 * w, new int[] {0, 1, 2});
        WritableRaster raster =
                Raster.createWritableRaster(sm, new DataBufferUShort(interleaved, interleaved.length), new Point());
        return writePng(new BufferedImage(cm, raster, false, null));
    }

    /** The image as an 8-bit {@link BufferedImage#TYPE_3BYTE_BGR}, e.g. to draw on. */
    public static BufferedImage toBuffered8(RgbImage image) {
        int w = image.width();
        int h = image.height();
        byte[] planes = image.toUint8();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        int plane = w * h;
        for (int i = 0; i < plane; i++) {
            bgr[3 * i] = planes[2 * plane + i];
            bgr[3 * i + 1] = planes[plane + i];
            bgr[3 * i + 2] = planes[i];
        }
        return out;
    }

    private static byte[] writePng(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", out)) {
                throw new IllegalStateException("no PNG writer for " + img);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding failed in memory", e);
        }
        return out.toByteArray();
    }

    private static BufferedImage decodeBuffered(byte[] bytes, String name, long maxPixels) throws ImageDecodeException {
        ImageReader reader = openReader(bytes, name);
        checkPixelBudget(reader, name, maxPixels);
        Set<String> warnings = new LinkedHashSet<>();
        reader.addIIOReadWarningListener(collect(warnings));
        try {
            BufferedImage img = reader.read(0);
            List<String> fatal = warnings.stream()
                    .filter(ImageCodec::meansMissingData)
                    .limit(3)
                    .toList();
            if (!fatal.isEmpty()) {
                throw new ImageDecodeException(
                        name, "truncated " + format(reader) + " data (decoder warning: " + fatal + ")");
            }
            return img;
        } catch (IOException | RuntimeException e) {
            throw new ImageDecodeException(
                    name, "corrupt or truncated " + format(reader) + " data: " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
    }

    /** Fails (disposing the reader) when the header claims more than {@code maxPixels} pixels. */
    private static void checkPixelBudget(ImageReader reader, String name, long maxPixels) throws ImageDecodeException {
        long width;
        long height;
        try {
            width = reader.getWidth(0);
            height = reader.getHeight(0);
        } catch (IOException | RuntimeException e) {
            reader.dispose();
            throw new ImageDecodeException(name, "corrupt " + format(reader) + " header: " + e.getMessage(), e);
        }
        if (width * height > maxPixels) {
            reader.dispose();
            throw new ImageDecodeException(
                    name,
                    String.format(
                            Locale.ROOT,
                            "its header says %dx%d (%.1f megapixels), above the limit %s = %d;"
                                    + " raise it (e.g. --set %s=%d) if the image is genuine",
                            width,
                            height,
                            width * height / 1e6,
                            MAX_PIXELS_KEY,
                            maxPixels,
                            MAX_PIXELS_KEY,
                            width * height));
        }
    }

    private static ImageReader openReader(byte[] bytes, String name) throws ImageDecodeException {
        if (bytes.length == 0) {
            throw new ImageDecodeException(name, "empty file (0 bytes)");
        }
        try {
            ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes));
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageDecodeException(
                        name,
                        "unsupported or unrecognised format (first bytes " + hexPrefix(bytes)
                                + "); supported: PNG, JPEG, BMP, PPM/PGM, TIFF, WebP");
            }
            ImageReader reader = readers.next();
            reader.setInput(in, true, true);
            return reader;
        } catch (IOException e) {
            throw new ImageDecodeException(name, "cannot open image stream: " + e.getMessage(), e);
        }
    }

    private static RgbImage toRgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        float[] chw = new float[3 * w * h];
        ColorModel cm = img.getColorModel();
        int space = cm.getColorSpace().getType();
        boolean direct = !(cm instanceof IndexColorModel)
                && (space == ColorSpace.TYPE_RGB || space == ColorSpace.TYPE_GRAY)
                && cm.getNumColorComponents() == (space == ColorSpace.TYPE_RGB ? 3 : 1);
        if (direct) {
            copySamples(img.getRaster(), cm, chw, w, h);
        } else {
            copyArgb(img, chw, w, h);
        }
        return new RgbImage(w, h, chw);
    }

    /** Copies stored samples (grey or RGB, 1..16 bits), dropping alpha and replicating grey. */
    private static void copySamples(Raster raster, ColorModel cm, float[] chw, int w, int h) {
        int colours = cm.getNumColorComponents();
        int plane = w * h;
        int[] row = new int[w];
        for (int c = 0; c < 3; c++) {
            int band = colours == 1 ? 0 : c;
            float max = (1 << cm.getComponentSize(band)) - 1;
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, band, row);
                int base = c * plane + y * w;
                for (int x = 0; x < w; x++) {
                    chw[base + x] = row[x] / max;
                }
            }
        }
    }

    /** Palette and other colour models: through sRGB ARGB, alpha dropped. */
    private static void copyArgb(BufferedImage img, float[] chw, int w, int h) {
        int plane = w * h;
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                chw[y * w + x] = ((p >>> 16) & 0xFF) / 255f;
                chw[plane + y * w + x] = ((p >>> 8) & 0xFF) / 255f;
                chw[2 * plane + y * w + x] = (p & 0xFF) / 255f;
            }
        }
    }

    private static IIOReadWarningListener collect(Set<String> warnings) {
        return (source, warning) -> warnings.add(warning);
    }

    /**
     * Whether a decoder warning means pixels are missing (a truncated file, which some decoders fill with grey
     * instead of failing). Other warnings (extraneous bytes, a bad ICC profile) leave a usable image.
     */
    private static boolean meansMissingData(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("truncated") || w.contains("premature end") || w.contains("end of file");
    }

    private static String format(ImageReader reader) {
        try {
            return reader.getFormatName().toUpperCase(Locale.ROOT);
        } catch (IOException e) {
            return "image";
        }
    }

    private static String hexPrefix(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            sb.append(String.format("%02x", bytes[i] & 0xFF));
        }
        return sb.toString();
    }
}
