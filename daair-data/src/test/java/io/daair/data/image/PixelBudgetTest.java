package io.daair.data.image;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Tiny files whose headers claim huge images fail from the header, before any pixel buffer exists (run this
 * class with -Xmx256m: without the check each file below asks for 1.2 GB or more).
 */
class PixelBudgetTest {

    private static final int HUGE = 20000;

    @Test
    void everyFormatIsRefusedFromItsHeaderNamingFileSizeAndKey() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("huge.png", png(HUGE, HUGE));
        files.put("huge.bmp", patchedBmp(HUGE, HUGE));
        files.put("huge.ppm", ("P6\n" + HUGE + " " + HUGE + "\n255\n\0\0\0").getBytes(StandardCharsets.US_ASCII));
        files.put("huge.jpg", patchedJpeg(HUGE, HUGE));
        files.put("huge.tif", patchedTiff(HUGE, HUGE));
        files.put("huge.webp", losslessWebp(16384, 16384));
        assertAll(files.entrySet().stream().map(f -> () -> {
            ImageDecodeException e =
                    assertThrows(ImageDecodeException.class, () -> ImageCodec.decode(f.getValue(), f.getKey()));
            String m = e.getMessage();
            String size = f.getKey().endsWith("webp") ? "16384x16384" : HUGE + "x" + HUGE;
            assertTrue(
                    m.contains(f.getKey()) && m.contains(size) && m.contains(ImageCodec.MAX_PIXELS_KEY),
                    f.getKey() + ": " + m);
        }));
    }

    @Test
    void theLimitIsInclusiveAndConfigurable() throws Exception {
        byte[] sixPixels = ImageCodec.encodePng(new RgbImage(3, 2, new float[18]));
        assertEquals(3, ImageCodec.decode(sixPixels, "six.png", 6).width());
        ImageDecodeException e =
                assertThrows(ImageDecodeException.class, () -> ImageCodec.decode(sixPixels, "six.png", 5));
        assertTrue(e.getMessage().contains("3x2") && e.getMessage().contains("5"), e.getMessage());

        assertEquals(
                1234L,
                ImageCodec.maxPixels(ConfigFactory.parseString(ImageCodec.MAX_PIXELS_KEY + " = 1234")
                        .withFallback(ConfigFactory.defaultReference())));
        assertThrows(
                ConfigException.BadValue.class,
                () -> ImageCodec.maxPixels(ConfigFactory.parseString(ImageCodec.MAX_PIXELS_KEY + " = 0")));
    }

    @Test
    void aTwelveMegapixelPhotoStillDecodesWithTheDefault() throws Exception {
        long limit = ImageCodec.maxPixels(ConfigFactory.defaultReference());
        byte[] photo = write(new BufferedImage(4000, 3000, BufferedImage.TYPE_3BYTE_BGR), "png");
        assertEquals(3000, ImageCodec.decode(photo, "photo.png", limit).height());
        assertEquals(3000, ImageCodec.decode(photo, "photo.png").height());
    }

    /** A PNG of the signature, an IHDR claiming w x h (8-bit RGB), one empty IDAT and IEND: 57 bytes. */
    private static byte[] png(int w, int h) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(
                out,
                "IHDR",
                ByteBuffer.allocate(13)
                        .putInt(w)
                        .putInt(h)
                        .put(new byte[] {8, 2, 0, 0, 0})
                        .array());
        chunk(out, "IDAT", new byte[0]);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A 1x1 BMP with the width and height of its info header (little-endian, offsets 18 and 22) replaced. */
    private static byte[] patchedBmp(int w, int h) throws IOException {
        byte[] bmp = write(new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR), "bmp");
        ByteBuffer.wrap(bmp).order(ByteOrder.LITTLE_ENDIAN).putInt(18, w).putInt(22, h);
        return bmp;
    }

    /** An 8x8 baseline JPEG with the height and width of its SOF0 segment (big-endian) replaced. */
    private static byte[] patchedJpeg(int w, int h) throws IOException {
        byte[] jpg = write(new BufferedImage(8, 8, BufferedImage.TYPE_3BYTE_BGR), "jpeg");
        for (int i = 0; i + 1 < jpg.length; i++) {
            if ((jpg[i] & 0xff) == 0xff && (jpg[i + 1] & 0xff) == 0xc0) {
                ByteBuffer.wrap(jpg).putShort(i + 5, (short) h).putShort(i + 7, (short) w);
                return jpg;
            }
        }
        throw new AssertionError("no SOF0 marker in the JPEG writer's output");
    }

    /** A 1x1 TIFF with its ImageWidth (256) and ImageLength (257) tags replaced. */
    private static byte[] patchedTiff(int w, int h) throws IOException {
        byte[] tif = write(new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR), "tiff");
        ByteBuffer b = ByteBuffer.wrap(tif).order(tif[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int ifd = b.getInt(4);
        int entries = b.getShort(ifd) & 0xffff;
        int patched = 0;
        for (int i = 0; i < entries; i++) {
            int entry = ifd + 2 + 12 * i;
            int tag = b.getShort(entry) & 0xffff;
            if (tag == 256 || tag == 257) {
                int value = tag == 256 ? w : h;
                if (b.getShort(entry + 2) == 3) { // SHORT
                    b.putShort(entry + 8, (short) value);
                } else { // LONG
                    b.putInt(entry + 8, value);
                }
                patched++;
            }
        }
        assertEquals(2, patched, "width and height tags of the TIFF writer's output");
        return tif;
    }

    /**
     * A lossless WebP (VP8L) header claiming w x h (at most 16384 each) and zeros instead of image data (the
     * decoder's bit reader reads 8 bytes ahead).
     */
    private static byte[] losslessWebp(int w, int h) {
        int chunk = 16;
        ByteBuffer riff = ByteBuffer.allocate(12 + 8 + chunk).order(ByteOrder.LITTLE_ENDIAN);
        riff.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + 8 + chunk);
        riff.put("WEBP".getBytes(StandardCharsets.US_ASCII));
        riff.put("VP8L".getBytes(StandardCharsets.US_ASCII)).putInt(chunk);
        riff.put((byte) 0x2f).putInt((w - 1) | (h - 1) << 14); // signature, 14-bit width-1, 14-bit height-1
        return riff.array();
    }

    private static byte[] write(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out), "writer for " + format);
        return out.toByteArray();
    }
}
