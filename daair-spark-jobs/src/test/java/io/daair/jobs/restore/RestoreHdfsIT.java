package io.daair.jobs.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.data.image.ImageCodec;
import io.daair.data.image.RgbImage;
import io.daair.jobs.model.TestModels;
import io.daair.jobs.testing.MiniHdfs;
import io.daair.nn.config.NetConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RestoreJob} on real HDFS (MiniDFSCluster): model and images in HDFS, outputs with the same relative
 * paths, the manifest (Parquet and CSV), a corrupt image recorded as failed, a rerun skipping, --overwrite.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestoreHdfsIT {
    @TempDir
    static java.nio.file.Path tmp;

    static MiniHdfs hdfs;
    static SparkSession spark;
    static FileSystem fs;
    static String root;

    /** Relative path -> size of the valid inputs. */
    static final Map<String, int[]> IMAGES = Map.of(
            "a.png", new int[] {24, 16},
            "sub/b.png", new int[] {40, 32},
            "sub/deeper/c d.png", new int[] {17, 21});

    @BeforeAll
    static void start() throws IOException {
        hdfs = MiniHdfs.start(tmp.resolve("hdfs"));
        fs = FileSystem.get(hdfs.uri(), hdfs.conf());
        root = hdfs.uri().toString();
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("RestoreHdfsIT")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.local.dir", tmp.resolve("spark-local").toString())
                .getOrCreate();
        java.nio.file.Path model = TestModels.tinySafetensors(tmp.resolve("model/tiny.safetensors"));
        fs.copyFromLocalFile(new Path(model.toUri()), new Path(root + "/models/tiny.safetensors"));
        long seed = 1;
        for (Map.Entry<String, int[]> e : IMAGES.entrySet()) {
            RgbImage img = TestModels.image(e.getValue()[0], e.getValue()[1], seed++);
            TestModels.writePng(new Path(root + "/in/" + e.getKey()), img, hdfs.conf());
        }
        TestModels.write(
                new Path(root + "/in/sub/corrupt.png"), "not a png".getBytes(StandardCharsets.UTF_8), hdfs.conf());
        for (String twin : List.of("sub/twin.png", "sub/twin.jpg")) { // both would become sub/twin.png
            TestModels.writePng(new Path(root + "/in/" + twin), TestModels.image(16, 16, 9), hdfs.conf());
        }
        TestModels.write(new Path(root + "/in/notes.txt"), "ignored".getBytes(StandardCharsets.UTF_8), hdfs.conf());
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        if (hdfs != null) {
            hdfs.close();
        }
    }

    static RestoreSpec spec(boolean overwrite) {
        return new RestoreSpec(
                root + "/models/tiny.safetensors",
                root + "/in",
                root + "/out",
                "",
                overwrite,
                "png",
                32,
                8,
                0,
                ImageCodec.DEFAULT_MAX_PIXELS,
                NetConfig.preset("tiny", 5),
                false);
    }

    static RestoreJob.Result run(boolean overwrite, StringWriter console) throws IOException {
        return RestoreJob.run(spark, spec(overwrite), new PrintWriter(console, true));
    }

    static Map<String, ManifestRow> manifest() {
        List<ManifestRow> rows = spark.read().parquet(root + "/out/_manifest").collectAsList().stream()
                .map(ManifestRow::fromRow)
                .toList();
        return rows.stream()
                .collect(Collectors.toMap(r -> r.path().substring(r.path().indexOf("/in/") + 4), Function.identity()));
    }

    @Test
    @Order(1)
    void restoresEveryImageKeepingRelativePathsAndRecordsTheCorruptOne() throws IOException {
        StringWriter console = new StringWriter();
        RestoreJob.Result result = run(false, console);
        assertEquals(6, result.images(), console.toString());
        assertEquals(3, result.restored());
        assertEquals(3, result.failed());
        assertEquals(0, result.skipped());
        double expectedMp =
                IMAGES.values().stream().mapToLong(s -> (long) s[0] * s[1]).sum() / 1e6;
        assertEquals(expectedMp, result.megapixels(), 1e-12);
        assertTrue(console.toString().contains("MP/s"), console.toString());

        for (Map.Entry<String, int[]> e : IMAGES.entrySet()) {
            Path out = new Path(root + "/out/" + e.getKey());
            assertTrue(fs.exists(out), out + " written");
            byte[] bytes;
            try (InputStream in = fs.open(out)) {
                bytes = in.readAllBytes();
            }
            RgbImage restored = ImageCodec.decode(bytes, out.toString());
            assertEquals(e.getValue()[0], restored.width(), e.getKey());
            assertEquals(e.getValue()[1], restored.height(), e.getKey());
        }
        assertFalse(fs.exists(new Path(root + "/out/sub/corrupt.png")), "nothing written for the corrupt image");
        assertFalse(fs.exists(new Path(root + "/out/notes.png")), "non-images are not inputs");

        Map<String, ManifestRow> rows = manifest();
        assertEquals(6, rows.size(), rows.toString());
        for (String twin : List.of("sub/twin.png", "sub/twin.jpg")) {
            ManifestRow r = rows.get(twin);
            assertEquals(ManifestRow.FAILED, r.status(), r.toString());
            assertTrue(
                    r.reason().contains("2 inputs map to the output")
                            && r.reason().endsWith("runs"),
                    r.reason());
        }
        assertFalse(fs.exists(new Path(root + "/out/sub/twin.png")), "neither twin silently wins");
        ManifestRow corrupt = rows.get("sub/corrupt.png");
        assertEquals(ManifestRow.FAILED, corrupt.status());
        assertTrue(corrupt.reason().contains("corrupt.png"), corrupt.reason());
        assertEquals(9, corrupt.bytes());
        for (Map.Entry<String, int[]> e : IMAGES.entrySet()) {
            ManifestRow r = rows.get(e.getKey().replace(" ", "%20"));
            if (r == null) {
                r = rows.get(e.getKey());
            }
            assertNotNull(r, e.getKey() + " in " + rows.keySet());
            assertEquals(ManifestRow.OK, r.status());
            assertEquals(e.getValue()[0], r.width());
            assertEquals(e.getValue()[1], r.height());
            assertTrue(List.of("noise", "rain", "haze", "blur", "lowlight").contains(r.degradation()), r.toString());
            assertTrue(r.confidence() > 0.2 && r.confidence() <= 1, r.toString());
            assertNull(r.reason());
            assertEquals(fs.getFileStatus(new Path(root + "/in/" + e.getKey())).getLen(), r.bytes());
        }
        List<String> csv = csvLines();
        assertEquals("path,output,width,height,bytes,degradation,confidence,millis,status,reason", csv.get(0));
        assertEquals(7, csv.size(), String.join("\n", csv));
        assertEquals(3, csv.stream().filter(l -> l.contains(",failed,")).count(), String.join("\n", csv));
        assertNoTemporaryFiles();
    }

    @Test
    @Order(2)
    void rerunSkipsWhatIsDoneAndOverwriteRestoresAgain() throws IOException {
        Path b = new Path(root + "/out/sub/b.png");
        long firstWrite = fs.getFileStatus(b).getModificationTime();

        RestoreJob.Result rerun = run(false, new StringWriter());
        assertEquals(3, rerun.skipped());
        assertEquals(0, rerun.restored());
        assertEquals(3, rerun.failed(), "the corrupt image and the twins fail again");
        assertEquals(firstWrite, fs.getFileStatus(b).getModificationTime(), "skipped output untouched");
        assertEquals(
                3,
                manifest().values().stream()
                        .filter(r -> r.status().equals(ManifestRow.SKIPPED))
                        .count());

        RestoreJob.Result again = run(true, new StringWriter());
        assertEquals(3, again.restored());
        assertEquals(0, again.skipped());
        assertTrue(fs.getFileStatus(b).getModificationTime() >= firstWrite);
        assertEquals(
                3,
                manifest().values().stream()
                        .filter(r -> r.status().equals(ManifestRow.OK))
                        .count());
        assertNoTemporaryFiles();
    }

    private static List<String> csvLines() throws IOException {
        try (InputStream in = fs.open(new Path(root + "/out/_manifest.csv"))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    private static void assertNoTemporaryFiles() throws IOException {
        var it = fs.listFiles(new Path(root + "/out"), true);
        while (it.hasNext()) {
            String name = it.next().getPath().getName();
            assertFalse(name.contains(".tmp"), "temporary file left: " + name);
        }
        for (var s : fs.listStatus(new Path(root + "/out"))) {
            assertFalse(s.getPath().getName().contains(".tmp"), "temporary folder left: " + s.getPath());
        }
        assertTrue(Files.isDirectory(tmp));
    }
}
