package io.daair.data.degrade;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.daair.data.image.RgbImage;
import java.util.PrimitiveIterator;
import java.util.SplittableRandom;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;

class NoiseProtocolTest {

    @Test
    void handCheckedPixelsClipThenTruncate() {
        byte[] clean = {0, 100, (byte) 250, 10, (byte) 128, (byte) 128};
        double[] z = {-0.5, 0.5, 1.0, -0.1, 0.02, -0.01};
        double[] sigma = {15, 15, 15, 15, 15, 50};
        // 0-7.5 -> 0; 107.5 -> 107; 265 -> 255; 8.5 -> 8; 128.3 -> 128; 127.5 -> 127 (truncated, not rounded)
        int[] expected = {0, 107, 255, 8, 128, 127};
        for (int i = 0; i < clean.length; i++) {
            assertEquals(expected[i], NoiseDegrader.noisy(clean[i] & 0xFF, sigma[i], z[i]), "pixel " + i);
        }
        PrimitiveIterator.OfDouble normals = DoubleStream.of(z).iterator();
        byte[] out = NoiseDegrader.addNoise(clean, 15, normals::nextDouble);
        assertArrayEquals(new byte[] {0, 107, (byte) 255, 8, (byte) 128, 127}, out);
    }

    @Test
    void normalsAreTheDocumentedBoxMuller() {
        SplittableRandom raw = new SplittableRandom(7);
        double u1 = 1 - raw.nextDouble();
        double u2 = raw.nextDouble();
        double r = Math.sqrt(-2 * Math.log(u1));
        RandomStream stream = new RandomStream(7);
        assertEquals(r * Math.cos(2 * Math.PI * u2), stream.gaussian(), 1e-12);
        assertEquals(r * Math.sin(2 * Math.PI * u2), stream.gaussian(), 1e-12);
    }

    @Test
    void imageNoiseUsesOneNormalPerSampleInChwOrderAndIsSeeded() {
        byte[] clean = new byte[3 * 4 * 2];
        for (int i = 0; i < clean.length; i++) {
            clean[i] = (byte) (10 * i);
        }
        RgbImage img = RgbImage.fromUint8(4, 2, clean);
        byte[] noisy = new NoiseDegrader(25).apply(img, 99).image().toUint8();
        RandomStream normals = new RandomStream(99);
        for (int i = 0; i < clean.length; i++) {
            double v = Math.min(255, Math.max(0, (clean[i] & 0xFF) + 25 * normals.gaussian()));
            assertEquals((int) v, noisy[i] & 0xFF, "sample " + i);
        }
        assertArrayEquals(noisy, new NoiseDegrader(25).apply(img, 99).image().toUint8());
        assertNotEquals(
                java.util.Arrays.toString(noisy),
                java.util.Arrays.toString(
                        new NoiseDegrader(25).apply(img, 100).image().toUint8()));
    }

    @Test
    void noiseStatisticsMatchSigmaAwayFromTheClip() {
        byte[] grey = new byte[3 * 64 * 64];
        java.util.Arrays.fill(grey, (byte) 128);
        byte[] noisy = new NoiseDegrader(15)
                .apply(RgbImage.fromUint8(64, 64, grey), 1)
                .image()
                .toUint8();
        double sum = 0;
        double sq = 0;
        for (byte b : noisy) {
            double d = (b & 0xFF) - 128;
            sum += d;
            sq += d * d;
        }
        double mean = sum / noisy.length;
        // truncation lowers the mean by about 0.5
        assertEquals(-0.5, mean, 0.3);
        assertEquals(15, Math.sqrt(sq / noisy.length - mean * mean), 0.4);
    }

    @Test
    void rejectsSigmaOutsideTheScale() {
        assertThrows(IllegalArgumentException.class, () -> new NoiseDegrader(0));
        assertThrows(IllegalArgumentException.class, () -> new NoiseDegrader(300));
    }
}
