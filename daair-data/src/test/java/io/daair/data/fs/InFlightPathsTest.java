package io.daair.data.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InFlightPathsTest {
    @TempDir
    Path dir;

    @Test
    void removesWhatIsStillInFlightAndNothingElse() throws IOException {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        Path folder = Files.createDirectories(dir.resolve(".patches.tmp-1/degradation=noise"))
                .getParent();
        Files.writeString(folder.resolve("degradation=noise/part-0.parquet"), "x");
        Path file = Files.writeString(dir.resolve(".model.tmp"), "x");
        Path renamed = Files.writeString(dir.resolve(".report.tmp"), "x");
        Path target = Files.writeString(dir.resolve("report.html"), "done");

        InFlightPaths registry = new InFlightPaths();
        registry.register(hadoop(folder), temporary(fs, hadoop(folder)));
        registry.register(file, InFlightPaths.localTemporary(file));
        registry.register(renamed, temporary(fs, hadoop(renamed)));
        registry.unregister(renamed); // the job finished this one

        assertEquals(2, registry.removeAll());
        assertFalse(Files.exists(folder), "the temporary folder is removed with its content");
        assertFalse(Files.exists(file), "the temporary file is removed");
        assertTrue(Files.exists(renamed), "a path the job no longer holds is left alone");
        assertEquals("done", Files.readString(target), "finished outputs are never touched");
        assertThrows(IllegalStateException.class, () -> registry.register(file, temporary(fs, hadoop(file))));
    }

    @Test
    void aFolderAWindingDownTaskRecreatesIsRemovedAgain() throws Exception {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        Path folder = Files.createDirectories(dir.resolve(".out.tmp-2"));
        InFlightPaths registry = new InFlightPaths();
        registry.register(folder, temporary(fs, hadoop(folder)));
        CountDownLatch watching = new CountDownLatch(1);
        CompletableFuture<Void> lateWriter = CompletableFuture.runAsync(() -> {
            try {
                watching.countDown();
                while (Files.exists(folder)) {
                    Thread.onSpinWait();
                }
                Files.createDirectories(folder.resolve("_temporary")); // as Hadoop's create() does for parents
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(watching.await(10, TimeUnit.SECONDS));
        registry.removeAll();
        lateWriter.get(10, TimeUnit.SECONDS);
        assertFalse(Files.exists(folder), "recreated after the first deletion, removed again");
    }

    private static org.apache.hadoop.fs.Path hadoop(Path path) {
        return new org.apache.hadoop.fs.Path(path.toUri());
    }

    private static InFlightPaths.Temporary temporary(FileSystem fs, org.apache.hadoop.fs.Path path) {
        return InFlightPaths.hadoopTemporary(fs, path);
    }
}
