package io.daair.jobs.prepare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.data.datasets.DatasetLayout;
import io.daair.data.datasets.DatasetSource;
import io.daair.data.datasets.MixSpec;
import io.daair.data.datasets.Sample;
import io.daair.data.degrade.Degradation;
import io.daair.data.image.ImageCodec;
import io.daair.data.image.ImageStore;
import io.daair.data.image.RgbImage;
import io.daair.data.patch.PatchMaker;
import io.daair.data.patch.PatchRecord;
import io.daair.data.patch.PatchSpec;
import io.daair.jobs.cli.ExitCode;
import io.daair.jobs.cli.UserException;
import io.daair.jobs.testing.MiniHdfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PrepareJob} on HDFS: the Parquet it writes reads back as exactly the patches PatchMaker cuts. */
class PrepareJobIT {

    @TempDir
    static Path tmp;

    static MiniHdfs hdfs;
    static SparkSession spark;
    static FileSystem fs;
    static ImageStore store;

    @BeforeAll
    static void start() throws IOException {
        hdfs = MiniHdfs.start(tmp.resolve("hdfs"));
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("PrepareJobIT")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.local.dir", tmp.resolve("spark-local").toString())
                .getOrCreate();
        fs = FileSystem.get(hdfs.uri(), hdfs.conf());
        store = new ImageStore(hdfs.conf());
        // a clean folder (two photos and one corrupt file) and a Rain100L folder with two pairs, all on HDFS
        for (int i = 0; i < 2; i++) {
            store.writePng(picture(40, 36, i), hdfsPath("/in/photos/p" + i + ".png"));
            store.writePng(picture(32, 32, 10 + i), hdfsPath("/in/rain/rain-" + i + ".png"));
            store.writePng(picture(32, 32, 20 + i), hdfsPath("/in/rain/norain-" + i + ".png"));
        }
        store.writeBytes(
                "not a png".getBytes(java.nio.charset.StandardCharsets.US_ASCII), hdfsPath("/in/photos/bad.png"));
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

    static org.apache.hadoop.fs.Path hdfsPath(String p) {
        return new org.apache.hadoop.fs.Path(hdfs.uri().resolve(p));
    }

    static RgbImage picture(int w, int h, int k) {
        byte[] chw = new byte[3 * w * h];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = (byte) ((i * (7 + k)) % 251);
        }
        return RgbImage.fromUint8(w, h, chw);
    }

    static PrepareSpec spec(String output) {
        return spec(output, false);
    }

    static PrepareSpec spec(String output, boolean overwrite) {
        return new PrepareSpec(
                List.of(
                        new DatasetSource(
                                "photos",
                                DatasetLayout.CLEAN,
                                hdfsPath("/in/photos").toString(),
                                null,
                                List.of(Degradation.NOISE, Degradation.HAZE),
                                List.of(25.0)),
                        DatasetSource.pairs(
                                "rain100l",
                                DatasetLayout.RAIN100L,
                                hdfsPath("/in/rain").toString())),
                new MixSpec(Map.of(Degradation.NOISE, 1, Degradation.RAIN, 2, Degradation.HAZE, 1)),
                new PatchSpec(16, 2, 7, true),
                output,
                3,
                overwrite,
                ImageCodec.DEFAULT_MAX_PIXELS);
    }

    @Test
    void writesPartitionedParquetOnHdfsThatReadsBackAsTheSamePatches() throws IOException {
        String out = hdfsPath("/out/patches").toString();
        List<String> lines = new ArrayList<>();
        PrepareResult result = PrepareJob.run(spark, spec(out), lines::add);

        // 3 photo files x (noise + haze) + 2 rain pairs x 2 repeats = 10 samples; bad.png's 2 fail
        assertEquals(10, result.samples());
        assertEquals(2, result.failed());
        assertTrue(
                result.failures().get(0).contains("bad.png"), result.failures().toString());
        assertEquals(
                Map.of(Degradation.NOISE, 4L, Degradation.HAZE, 4L, Degradation.RAIN, 8L),
                result.patchesPerDegradation());
        assertEquals(16, result.patches());
        assertTrue(fs.exists(hdfsPath("/out/patches/_SUCCESS")));
        assertTrue(fs.exists(hdfsPath("/out/patches/degradation=rain")));
        assertEquals(1, fs.listStatus(hdfsPath("/out")).length, "no temporary folder left");
        assertTrue(
                lines.stream().anyMatch(l -> l.startsWith("prepare: 10/10 samples done, 16 patches written")),
                lines.toString());

        List<PatchRecord> read = spark.read().parquet(out).collectAsList().stream()
                .map(PatchRowCodec::fromRow)
                .sorted(ORDER)
                .toList();
        PatchMaker maker = new PatchMaker(store, spec(out).patches());
        List<PatchRecord> expected = new ArrayList<>();
        for (Sample s : PrepareJob.listSamples(store, spec(out))) {
            if (!s.cleanPath().endsWith("bad.png")) {
                expected.addAll(maker.make(s));
            }
        }
        expected.sort(ORDER);
        assertEquals(expected.size(), read.size());
        for (int i = 0; i < read.size(); i++) {
            assertEquals(expected.get(i), read.get(i), "patch " + i);
        }
        assertEquals(
                "raw-uint8-chw",
                spark.read().parquet(out).schema().apply("clean").metadata().getString("encoding"));
        Row any = spark.read().parquet(out).filter("degradation = 'haze'").first();
        assertArrayEquals(new int[] {16, 16}, new int[] {any.<Integer>getAs("height"), any.<Integer>getAs("width")});
        assertTrue(any.<String>getAs("params").startsWith("{\"kind\":\"haze\""));

        UserException exists = assertThrows(UserException.class, () -> PrepareJob.run(spark, spec(out), l -> {}));
        assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());
        assertEquals(ExitCode.BAD_INPUT, exists.exitCode());
    }

    @Test
    void overwriteNeverDeletesTheInputFolderOrAFolderHoldingIt() throws IOException {
        for (String out : List.of("/in/photos", "/in", "/in/photos/")) {
            UserException e = assertThrows(
                    UserException.class,
                    () -> PrepareJob.run(spark, spec(hdfsPath(out).toString(), true), l -> {}),
                    out);
            assertTrue(e.getMessage().contains("input"), e.getMessage());
        }
        for (String kept : List.of("/in/photos/p0.png", "/in/photos/bad.png", "/in/rain/rain-1.png")) {
            assertTrue(fs.exists(hdfsPath(kept)), kept + " deleted");
        }
    }

    @Test
    void overwriteRefusesAFolderThatIsNoPatchSetAndDeletesNothing() throws IOException {
        store.writeBytes("mine".getBytes(StandardCharsets.US_ASCII), hdfsPath("/mine/notes.txt"));
        UserException e = assertThrows(
                UserException.class,
                () -> PrepareJob.run(spark, spec(hdfsPath("/mine").toString(), true), l -> {}));
        assertTrue(e.getMessage().contains(PatchSetFolder.MARKER), e.getMessage());
        assertTrue(fs.exists(hdfsPath("/mine/notes.txt")));
        assertFalse(fs.exists(hdfsPath("/mine/" + PatchSetFolder.MARKER)));
    }

    @Test
    void overwriteReplacesAnEarlierPatchSetAndKeepsItWhenTheNewOneFails() throws IOException {
        String out = hdfsPath("/sets/a").toString();
        PrepareJob.run(spark, spec(out), l -> {});
        assertTrue(fs.exists(hdfsPath("/sets/a/" + PatchSetFolder.MARKER)));
        PrepareResult again = PrepareJob.run(spark, spec(out, true), l -> {});
        assertEquals(16, again.patches());
        assertEquals(1, fs.listStatus(hdfsPath("/sets")).length, "no temporary or old folder left");

        // a new set that fails (every sample broken) leaves the earlier one as it was
        store.writeBytes(new byte[] {7}, hdfsPath("/in/allbad/y.png"));
        PrepareSpec broken = new PrepareSpec(
                List.of(DatasetSource.clean("allbad", hdfsPath("/in/allbad").toString(), List.of(Degradation.RAIN))),
                MixSpec.single(Degradation.RAIN),
                new PatchSpec(16, 1, 7, false),
                out,
                1,
                true,
                ImageCodec.DEFAULT_MAX_PIXELS);
        assertThrows(UserException.class, () -> PrepareJob.run(spark, broken, l -> {}));
        assertEquals(16, spark.read().parquet(out).count());
        assertEquals(1, fs.listStatus(hdfsPath("/sets")).length);
    }

    @Test
    void imagesAboveThePixelBudgetAreListedFailuresNamingTheKey() throws IOException {
        store.writePng(picture(16, 16, 4), hdfsPath("/in/budget/small.png"));
        store.writePng(picture(32, 32, 5), hdfsPath("/in/budget/large.png"));
        PrepareSpec budget = new PrepareSpec(
                List.of(DatasetSource.clean("budget", hdfsPath("/in/budget").toString(), List.of(Degradation.RAIN))),
                MixSpec.single(Degradation.RAIN),
                new PatchSpec(16, 1, 7, false),
                hdfsPath("/budget-out/patches").toString(),
                1,
                false,
                500);
        PrepareResult result = PrepareJob.run(spark, budget, l -> {});
        assertEquals(1, spark.read().parquet(budget.output()).count());
        String failures = new String(
                store.readBytes(new org.apache.hadoop.fs.Path(result.failuresFile())), StandardCharsets.UTF_8);
        assertTrue(failures.contains("large.png") && failures.contains("daair.data.image.max-pixels"), failures);
        assertFalse(failures.contains("small.png"), failures);
    }

    @Test
    void everyFailureIsListedInTheOutputAndTheConsoleShowsTheCountAndAFewExamples() throws IOException {
        store.writePng(picture(32, 32, 3), hdfsPath("/in/many/good.png"));
        for (int i = 0; i < 25; i++) {
            store.writeBytes(new byte[] {(byte) i}, hdfsPath(String.format("/in/many/bad-%02d.png", i)));
        }
        PrepareSpec many = new PrepareSpec(
                List.of(DatasetSource.clean(
                        "many", hdfsPath("/in/many").toString(), List.of(Degradation.RAIN, Degradation.HAZE))),
                new MixSpec(Map.of(Degradation.RAIN, 1, Degradation.HAZE, 1)),
                new PatchSpec(16, 1, 7, false),
                hdfsPath("/many-out/patches").toString(),
                2,
                false,
                ImageCodec.DEFAULT_MAX_PIXELS);
        List<String> lines = new ArrayList<>();
        PrepareResult result = PrepareJob.run(spark, many, lines::add);

        assertEquals(50, result.failed());
        org.apache.hadoop.fs.Path list = hdfsPath("/many-out/patches/" + PatchSetFolder.FAILURES);
        assertEquals(list.toString(), result.failuresFile());
        List<String> rows;
        try (var in = fs.open(list)) {
            rows = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        assertEquals("path\tsample\treason", rows.get(0));
        assertEquals(51, rows.size(), "a header and one row per failed sample");
        for (int i = 0; i < 25; i++) {
            String file = hdfsPath(String.format("/in/many/bad-%02d.png", i)).toString();
            assertEquals(2, rows.stream().filter(r -> r.startsWith(file + "\t")).count(), file + " in " + rows);
        }
        assertTrue(rows.stream().skip(1).allMatch(r -> r.split("\t").length == 3), rows.toString());

        String console = String.join("\n", lines);
        assertTrue(console.contains("50 samples failed") && console.contains(list.toString()), console);
        long examples = lines.stream().filter(l -> l.contains("bad-")).count();
        assertTrue(examples >= 1 && examples <= 5, console);
        assertTrue(lines.size() < 15, console);
    }

    @Test
    void aFailedJobLeavesNoOutputBehind() throws IOException {
        fs.mkdirs(hdfsPath("/full"));
        // a disk-space quota below one block: every file write into /full fails
        ((DistributedFileSystem) fs).setQuota(hdfsPath("/full"), Long.MAX_VALUE - 1, 1024);
        String out = hdfsPath("/full/patches").toString();
        assertThrows(Exception.class, () -> PrepareJob.run(spark, spec(out), l -> {}));
        assertFalse(fs.exists(hdfsPath("/full/patches")));
        assertEquals(0, fs.listStatus(hdfsPath("/full")).length, "temporary folder not cleaned up");

        // every sample failing is an error too, and leaves nothing behind
        store.writeBytes(new byte[] {0, 1, 2}, hdfsPath("/in/broken/x.png"));
        PrepareSpec broken = new PrepareSpec(
                List.of(DatasetSource.clean("broken", hdfsPath("/in/broken").toString(), List.of(Degradation.RAIN))),
                MixSpec.single(Degradation.RAIN),
                new PatchSpec(16, 1, 7, false),
                hdfsPath("/none/patches").toString(),
                1,
                false,
                ImageCodec.DEFAULT_MAX_PIXELS);
        UserException e = assertThrows(UserException.class, () -> PrepareJob.run(spark, broken, l -> {}));
        assertTrue(
                e.getMessage().contains("no patches written") && e.getMessage().contains("x.png"), e.getMessage());
        assertEquals(0, fs.listStatus(hdfsPath("/none")).length);
    }

    private static final Comparator<PatchRecord> ORDER = Comparator.comparing(PatchRecord::sourcePath)
            .thenComparing(r -> r.degradation().label())
            .thenComparingLong(PatchRecord::seed);
}
