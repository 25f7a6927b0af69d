package io.daair.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageStoreTest {

    @TempDir
    java.nio.file.Path dir;

    private final ImageStore store = ImageStore.local();

    @Test
    void writesAtomicallyAndReadsBackThroughFileUris() throws Exception {
        RgbImage img = RgbImage.fromUint8(2, 1, new byte[] {1, 2, 3, 4, 5, 6});
        Path target = new Path(dir.toUri().toString(), "sub/out.png");
        store.writePng(img, target);
        store.writePng(img, target); // replaces
        assertArrayEquals(img.toUint8(), store.read(target).toUint8());
        assertArrayEquals(new int[] {2, 1}, store.readSize(target));
        try (var files = Files.list(dir.resolve("sub"))) {
            assertEquals(
                    List.of("out.png"),
                    files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void writesAndReadsLocalNamesWithAColonPercentHashOrQuestionMark() throws Exception {
        RgbImage img = RgbImage.fromUint8(1, 1, new byte[] {7, 8, 9});
        for (String name : new String[] {"x:y.png", "a%20b.png", "hash#q?.png"}) {
            Path target = new Path(new Path(dir.toUri()), new Path(null, null, name));
            store.writePng(img, target);
            assertTrue(Files.isRegularFile(dir.resolve(name)), name);
            assertArrayEquals(img.toUint8(), store.read(target).toUint8(), name);
        }
    }

    @Test
    void listsImagesSortedSkippingHiddenAndOtherFiles() throws Exception {
        Files.createDirectories(dir.resolve("a/b"));
        for (String name : new String[] {"z.PNG", "a/y.jpg", "a/b/x.bmp", "notes.txt", ".hidden.png", "_tmp.png"}) {
            Files.write(dir.resolve(name), new byte[] {1});
        }
        Path root = new Path(dir.toUri());
        List<String> all =
                store.listImages(root, true).stream().map(Path::getName).toList();
        assertEquals(List.of("x.bmp", "y.jpg", "z.PNG"), all);
        assertEquals(
                List.of("z.PNG"),
                store.listImages(root, false).stream().map(Path::getName).toList());
    }

    @Test
    void readsWithinItsPixelBudget() throws Exception {
        Path target = new Path(dir.toUri().toString(), "six.png");
        store.writePng(new RgbImage(3, 2, new float[18]), target);
        assertEquals(3, new ImageStore(store.conf(), 6).read(target).width());
        ImageDecodeException e =
                assertThrows(ImageDecodeException.class, () -> new ImageStore(store.conf(), 5).read(target));
        assertTrue(e.getMessage().contains("six.png") && e.getMessage().contains("3x2"), e.getMessage());
    }

    @Test
    void missingAndCorruptFilesAreNamed() throws Exception {
        Path missing = new Path(dir.toUri().toString(), "nope.png");
        FileNotFoundException nf = assertThrows(FileNotFoundException.class, () -> store.read(missing));
        assertTrue(nf.getMessage().contains("nope.png"));
        Files.write(dir.resolve("bad.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0});
        ImageDecodeException bad = assertThrows(
                ImageDecodeException.class,
                () -> store.read(new Path(dir.toUri().toString(), "bad.jpg")));
        assertTrue(bad.file().endsWith("bad.jpg"), bad.file());
    }
}
