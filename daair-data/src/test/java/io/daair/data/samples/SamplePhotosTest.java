package io.daair.data.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.data.image.ImageStore;
import io.daair.data.image.RgbImage;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamplePhotosTest {

    @TempDir
    Path dir;

    @Test
    void splitsAreDisjointColourPhotosOfAtMost256Pixels() throws Exception {
        assertTrue(Collections.disjoint(
                new HashSet<>(SamplePhotos.Split.TRAIN.names()), new HashSet<>(SamplePhotos.Split.HELDOUT.names())));
        for (SamplePhotos.Split split : SamplePhotos.Split.values()) {
            for (RgbImage img : SamplePhotos.readAll(split)) {
                assertTrue(Math.max(img.width(), img.height()) <= 256);
                assertTrue(Math.min(img.width(), img.height()) >= 128, "too small for a 128 crop");
                assertTrue(channelDifference(img) > 0.01, "not a colour photo");
            }
        }
    }

    @Test
    void heldOutIsAtLeastTwelveSquarePhotosAndTrainingAtLeastTwenty() throws Exception {
        List<RgbImage> heldout = SamplePhotos.readAll(SamplePhotos.Split.HELDOUT);
        assertTrue(heldout.size() >= 12, "held-out photos: " + heldout.size());
        for (RgbImage img : heldout) {
            assertEquals(256, img.width());
            assertEquals(256, img.height());
        }
        assertTrue(
                SamplePhotos.Split.TRAIN.names().size() >= 20, "training photos: " + SamplePhotos.Split.TRAIN.names());
    }

    @Test
    void extractWritesAReadableFolder() throws Exception {
        Path heldout = SamplePhotos.extract(SamplePhotos.Split.HELDOUT, dir);
        List<org.apache.hadoop.fs.Path> files =
                ImageStore.local().listImages(new org.apache.hadoop.fs.Path(heldout.toUri()), false);
        assertEquals(SamplePhotos.Split.HELDOUT.names().size(), files.size());
        RgbImage chelsea = ImageStore.local()
                .read(new org.apache.hadoop.fs.Path(
                        heldout.resolve("chelsea.png").toUri()));
        assertArrayEquals(
                SamplePhotos.read(SamplePhotos.Split.HELDOUT, "chelsea.png").chw(), chelsea.chw());
    }

    private static double channelDifference(RgbImage img) {
        double s = 0;
        int plane = img.planeSize();
        for (int i = 0; i < plane; i++) {
            s += Math.abs(img.chw()[i] - img.chw()[2 * plane + i]);
        }
        return s / plane;
    }
}
