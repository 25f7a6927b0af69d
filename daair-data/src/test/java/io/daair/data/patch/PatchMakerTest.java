package io.daair.data.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.data.datasets.Sample;
import io.daair.data.degrade.Degradation;
import io.daair.data.image.ImageCodec;
import io.daair.data.image.ImageStore;
import io.daair.data.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PatchMakerTest {

    @TempDir
    Path dir;

    private String png(String name, int w, int h, int k) throws Exception {
        byte[] chw = new byte[3 * w * h];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = (byte) (i * (3 + k) % 253);
        }
        Path file = dir.resolve(name);
        Files.write(file, ImageCodec.encodePng(RgbImage.fromUint8(w, h, chw)));
        return file.toUri().toString();
    }

    @Test
    void syntheticSamplesAreDeterministicPerKeyAndRecordTheirParameters() throws Exception {
        String clean = png("c.png", 40, 40, 0);
        PatchMaker maker = new PatchMaker(ImageStore.local(), new PatchSpec(16, 3, 9, true));
        Sample s = Sample.synthetic("d", "c.png", Degradation.NOISE, clean, 50);
        List<PatchRecord> a = maker.make(s);
        assertEquals(3, a.size());
        assertEquals(a, maker.make(s));
        assertNotEquals(a, maker.make(s.withRepeat(1)));
        assertTrue(a.get(0).params().contains("\"sigma\":50"), a.get(0).params());
        assertEquals(16, a.get(0).height());
        assertEquals(0, a.get(0).label());
    }

    @Test
    void realPairsOfDifferentSizesNameBothFiles() throws Exception {
        String clean = png("high.png", 40, 40, 1);
        String low = png("low.png", 40, 32, 2);
        PatchMaker maker = new PatchMaker(ImageStore.local(), new PatchSpec(16, 1, 9, false));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> maker.make(Sample.pair("lol", "low.png", Degradation.LOW_LIGHT, clean, low)));
        assertTrue(
                e.getMessage().contains("low.png is 40x32") && e.getMessage().contains("high.png is 40x40"),
                e.getMessage());
        String ok = png("low2.png", 40, 40, 3);
        PatchRecord r = maker.make(Sample.pair("lol", "low2.png", Degradation.LOW_LIGHT, clean, ok))
                .get(0);
        assertTrue(r.params().contains("\"source\":\"real\",\"file\":\"low2.png\""), r.params());
    }
}
