package io.daair.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageCodecTest {

    /** A 3x2 image with distinct values per channel: R = 10*x+y, G = 100+x, B = 200+y. */
    private static byte[] expected3x2() {
        byte[] chw = new byte[18];
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                chw[y * 3 + x] = (byte) (10 * x + y);
                chw[6 + y * 3 + x] = (byte) (100 + x);
                chw[12 + y * 3 + x] = (byte) (200 + y);
            }
        }
        return chw;
    }

    private static BufferedImage argb3x2(int alpha) {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                img.setRGB(x, y, (alpha << 24) | ((10 * x + y) << 16) | ((100 + x) << 8) | (200 + y));
            }
        }
        return img;
    }

    private static byte[] write(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out), "writer for " + format);
        return out.toByteArray();
    }

    @Test
    void rgbaPngDropsAlphaAndKeepsColours() throws Exception {
        RgbImage img = ImageCodec.decode(write(argb3x2(7), "png"), "a.png");
        assertEquals(3, img.width());
        assertEquals(2, img.height());
        assertArrayEquals(expected3x2(), img.toUint8());
    }

    @Test
    void bmpTiffAndPpmDecodeTheSameSamples() throws Exception {
        BufferedImage rgb = new BufferedImage(3, 2, BufferedImage.TYPE_3BYTE_BGR);
        rgb.getGraphics().drawImage(argb3x2(255), 0, 0, null);
        assertArrayEquals(
                expected3x2(), ImageCodec.decode(write(rgb, "bmp"), "a.bmp").toUint8());

        byte[] chw = expected3x2();
        ByteArrayOutputStream ppm = new ByteArrayOutputStream();
        ppm.writeBytes("P6\n3 2\n255\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 6; i++) {
            ppm.write(chw[i]);
            ppm.write(chw[6 + i]);
            ppm.write(chw[12 + i]);
        }
        assertArrayEquals(chw, ImageCodec.decode(ppm.toByteArray(), "a.ppm").toUint8());
    }

    @Test
    void greyPgmBecomesThreeEqualChannelsWithoutGammaChange() throws Exception {
        byte[] pgm = "P5\n2 1\n255\n\u0040\u00c8".getBytes(StandardCharsets.ISO_8859_1);
        RgbImage img = ImageCodec.decode(pgm, "g.pgm");
        assertArrayEquals(new byte[] {64, (byte) 200, 64, (byte) 200, 64, (byte) 200}, img.toUint8());

        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {64, 200});
        assertArrayEquals(
                img.toUint8(), ImageCodec.decode(write(grey, "png"), "g.png").toUint8());
    }

    @Test
    void palettePngLooksUpItsEntries() throws Exception {
        byte[] r = {(byte) 255, 0};
        byte[] g = {0, (byte) 128};
        byte[] b = {0, 7};
        BufferedImage img =
                new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, g, b));
        img.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {1, 0});
        assertArrayEquals(
                new byte[] {0, (byte) 255, (byte) 128, 0, 7, 0},
                ImageCodec.decode(write(img, "png"), "p.png").toUint8());
    }

    @Test
    void sixteenBitPngRoundTripsExactly() throws Exception {
        float[] chw = new float[12];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = (i * 4099 % 65536) / 65535f;
        }
        RgbImage img = new RgbImage(2, 2, chw);
        RgbImage back = ImageCodec.decode(ImageCodec.encodePng16(img), "x16.png");
        assertArrayEquals(img.toUint16(), back.toUint16());
        assertEquals(4099, back.get(0, 0, 1) * 65535f, 1e-2);
    }

    @Test
    void eightBitPngRoundTripsExactly() throws Exception {
        RgbImage img = RgbImage.fromUint8(3, 2, expected3x2());
        RgbImage back = ImageCodec.decode(ImageCodec.encodePng(img), "x.png");
        assertArrayEquals(img.chw(), back.chw());
    }

    @Test
    void jpegDecodesCloseToTheOriginal() throws Exception {
        BufferedImage flat = new BufferedImage(16, 16, BufferedImage.TYPE_3BYTE_BGR);
        java.awt.Graphics2D g = flat.createGraphics();
        g.setColor(new java.awt.Color(200, 100, 50));
        g.fillRect(0, 0, 16, 16);
        g.dispose();
        RgbImage img = ImageCodec.decode(write(flat, "jpeg"), "f.jpg");
        assertEquals(200 / 255f, img.get(0, 8, 8), 3 / 255f);
        assertEquals(100 / 255f, img.get(1, 8, 8), 3 / 255f);
        assertEquals(50 / 255f, img.get(2, 8, 8), 3 / 255f);
    }

    @Test
    void badFilesNameTheFileAndTheReason() throws Exception {
        ImageDecodeException empty =
                assertThrows(ImageDecodeException.class, () -> ImageCodec.decode(new byte[0], "e.png"));
        assertTrue(empty.getMessage().contains("e.png") && empty.getMessage().contains("empty"), empty.getMessage());

        ImageDecodeException text = assertThrows(
                ImageDecodeException.class,
                () -> ImageCodec.decode("hello, not an image".getBytes(StandardCharsets.US_ASCII), "t.png"));
        assertTrue(text.getMessage().contains("t.png") && text.getMessage().contains("unsupported"), text.getMessage());

        BufferedImage big = new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR);
        for (int i = 0; i < 64; i++) {
            big.setRGB(i, i, 0xFFFFFF * (i % 2));
        }
        for (String format : new String[] {"png", "jpeg"}) {
            byte[] whole = write(big, format);
            byte[] cut = Arrays.copyOf(whole, whole.length / 2);
            ImageDecodeException trunc =
                    assertThrows(ImageDecodeException.class, () -> ImageCodec.decode(cut, "cut." + format));
            assertTrue(trunc.getMessage().contains("cut." + format), trunc.getMessage());
        }
        byte[] png = write(big, "png");
        png[png.length / 2] ^= 0x55; // flip bits inside the compressed data
        assertThrows(ImageDecodeException.class, () -> ImageCodec.decode(png, "bits.png"));
    }
}
