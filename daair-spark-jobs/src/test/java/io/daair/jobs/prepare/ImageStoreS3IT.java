package io.daair.jobs.prepare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.data.datasets.DatasetLayout;
import io.daair.data.datasets.DatasetReader;
import io.daair.data.datasets.DatasetSource;
import io.daair.data.datasets.Sample;
import io.daair.data.image.ImageCodec;
import io.daair.data.image.ImageDecodeException;
import io.daair.data.image.ImageStore;
import io.daair.data.image.RgbImage;
import io.daair.jobs.testing.S3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ImageStore} and {@link DatasetReader} on s3a:// against a real S3 API server (no Spark needed). */
class ImageStoreS3IT {

    @TempDir
    static Path tmp;

    static S3Server s3;
    static ImageStore store;

    @BeforeAll
    static void start() throws IOException {
        s3 = S3Server.start(tmp.resolve("s3"));
        s3.createBucket("images");
        store = new ImageStore(s3.conf());
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
    }

    private static org.apache.hadoop.fs.Path s3a(String key) {
        return new org.apache.hadoop.fs.Path("s3a://images/" + key);
    }

    @Test
    void writesReadsAndListsImagesOnS3() throws IOException {
        RgbImage img =
                RgbImage.fromUint8(3, 2, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18});
        store.writePng(img, s3a("lol/low/1.png"));
        store.writePng(img, s3a("lol/high/1.png"));
        // the object really is in the bucket, and is the PNG we encoded
        assertArrayEquals(ImageCodec.encodePng(img), Files.readAllBytes(s3.objectFile("images", "lol/low/1.png")));
        assertArrayEquals(img.toUint8(), store.read(s3a("lol/low/1.png")).toUint8());
        assertArrayEquals(new int[] {3, 2}, store.readSize(s3a("lol/high/1.png")));

        List<Sample> pairs =
                new DatasetReader(store).read(DatasetSource.pairs("lol", DatasetLayout.LOL, "s3a://images/lol"));
        assertEquals(1, pairs.size());
        assertTrue(
                pairs.get(0).cleanPath().startsWith("s3a://images/lol/high/"),
                pairs.get(0).cleanPath());

        store.writeBytes(new byte[] {1, 2, 3}, s3a("bad/x.jpg"));
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> store.read(s3a("bad/x.jpg")));
        assertTrue(e.getMessage().contains("s3a://images/bad/x.jpg"), e.getMessage());
    }
}
