package io.daair.jobs.restore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.data.image.ImageCodec;
import io.daair.data.image.RgbImage;
import io.daair.jobs.cli.DaairCommand;
import io.daair.jobs.cli.UserException;
import io.daair.jobs.model.TestModels;
import io.daair.jobs.testing.Cli;
import io.daair.nn.config.NetConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code daair restore} on local files: every name a file system allows gets its own output, every input one
 * manifest row (hidden, empty and unsafe ones too), failures give a non-zero exit, and the job never writes
 * into its input (through symbolic links either), never deletes a {@code _manifest} it did not write, and
 * refuses an unwritable output before any work.
 */
class RestoreLocalIT {
    @TempDir
    static Path tmp;

    static SparkSession spark;
    static Path model;

    /** Valid inputs that must each be restored to their own output (relative path, extension png). */
    static final List<String> RESTORED = List.of(
            "a%20b.png",
            "a b.png",
            "hash#q?.png",
            "hash.png",
            "x:y.png",
            "\u00fcn\u00efc\u00f6d\u00e9 \u5199\u771f.png",
            "_DSC0001.png",
            "sub/deep/c.png");

    @BeforeAll
    static void start() throws IOException {
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("RestoreLocalIT")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.local.dir", tmp.resolve("spark-local").toString())
                .getOrCreate();
        model = TestModels.tinySafetensors(tmp.resolve("model/tiny.safetensors"));
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void everyNameIsRestoredOrReportedOnceAndFailuresExitWithFour() throws IOException {
        Path in = tmp.resolve("names/in");
        Path out = tmp.resolve("names/out");
        long seed = 1;
        for (String name : RESTORED) {
            png(in.resolve(name), seed++);
        }
        png(in.resolve(".hidden.png"), seed++);
        png(in.resolve(".thumbs/t.png"), seed++);
        png(in.resolve("_manifest/m.png"), seed++);
        png(in.resolve("linked/l.png"), seed++);
        write(in.resolve("empty.png"), new byte[0]);
        write(in.resolve("corrupt.png"), "not a png".getBytes(StandardCharsets.UTF_8));
        write(in.resolve("notes.txt"), "not an image".getBytes(StandardCharsets.UTF_8));
        byte[] linkedInput = Files.readAllBytes(in.resolve("linked/l.png"));
        Files.createDirectories(out);
        Files.createSymbolicLink(out.resolve("linked"), in.resolve("linked")); // out/linked/l.png is an input

        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int code = DaairCommand.commandLine(new PrintWriter(stdout, true), new PrintWriter(stderr, true))
                .execute(
                        "restore",
                        "--model",
                        model.toString(),
                        "--input",
                        in.toString(),
                        "--output",
                        out.toString(),
                        "--overwrite");
        String console = stdout + "\n" + stderr;

        assertEquals(4, code, console);
        assertTrue(stderr.toString().contains("4 of 14 images failed"), console);
        assertTrue(stderr.toString().contains(out.resolve("_manifest.csv").toString()), console);

        Map<String, ManifestRow> rows = manifest(out);
        assertEquals(14, rows.size(), rows.keySet().toString());
        for (String name : RESTORED) {
            ManifestRow r = rows.get(name);
            assertNotNull(r, name + " has no row in " + rows.keySet());
            assertEquals(ManifestRow.OK, r.status(), r.toString());
            Path restored = out.resolve(name);
            assertTrue(Files.isRegularFile(restored), restored + " written");
            RgbImage image = ImageCodec.decode(Files.readAllBytes(restored), restored.toString());
            assertEquals(16, image.width(), name);
        }
        for (String hidden : List.of(".hidden.png", ".thumbs/t.png")) {
            ManifestRow r = rows.get(hidden);
            assertNotNull(r, hidden + " has no row in " + rows.keySet());
            assertEquals(ManifestRow.SKIPPED, r.status(), r.toString());
            assertTrue(r.reason().contains("hidden"), r.toString());
        }
        assertFalse(Files.exists(out.resolve(".hidden.png")));
        for (String failed : List.of("empty.png", "corrupt.png", "_manifest/m.png", "linked/l.png")) {
            ManifestRow r = rows.get(failed);
            assertNotNull(r, failed + " has no row in " + rows.keySet());
            assertEquals(ManifestRow.FAILED, r.status(), r.toString());
            assertNotNull(r.reason(), r.toString());
        }
        assertTrue(
                rows.get("_manifest/m.png").reason().contains("_manifest"),
                rows.get("_manifest/m.png").reason());
        assertTrue(
                rows.get("linked/l.png").reason().contains("input"),
                rows.get("linked/l.png").reason());
        assertArrayEquals(linkedInput, Files.readAllBytes(in.resolve("linked/l.png")), "the input is untouched");
        assertEquals(0, rows.get("empty.png").bytes());
    }

    @Test
    void aModelOfAnotherNetworkThanTheSettingsNameIsBadInputBeforeAnyImage() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("net/in"));
        TestModels.writePng(
                new org.apache.hadoop.fs.Path(in.resolve("a.png").toUri()),
                TestModels.image(16, 16, 1),
                spark.sparkContext().hadoopConfiguration());
        Cli.Run other = Cli.daair(
                "restore",
                "--model",
                model.toString(),
                "--input",
                in.toString(),
                "--output",
                tmp.resolve("net/out").toString(),
                "--set",
                "net.degradations=3");
        assertEquals(2, other.exitCode(), other.printed());
        assertTrue(other.err().contains("daair.net") && other.err().contains(model.toString()), other.err());
        assertFalse(Files.exists(tmp.resolve("net/out/a.png")), "refused before any image");

        Cli.Run trainingOnly = Cli.daair(
                "restore",
                "--model",
                model.toString(),
                "--input",
                in.toString(),
                "--output",
                tmp.resolve("net/out").toString(),
                "--set",
                "net.aux-loss-weight=0.5");
        assertEquals(0, trainingOnly.exitCode(), trainingOnly.printed());
    }

    @Test
    void refusesAnOutputThatIsTheInputThroughASymbolicLink() throws IOException {
        Path in = tmp.resolve("link/in");
        png(in.resolve("a.png"), 1);
        png(in.resolve("sub/b.png"), 2);
        byte[] a = Files.readAllBytes(in.resolve("a.png"));
        byte[] b = Files.readAllBytes(in.resolve("sub/b.png"));
        Path toInput = Files.createSymbolicLink(tmp.resolve("link/to-input"), in);
        Path toInside = Files.createSymbolicLink(tmp.resolve("link/to-inside"), in.resolve("sub"));

        for (Path output : List.of(toInput, toInside)) {
            StringWriter console = new StringWriter();
            UserException e =
                    assertThrows(UserException.class, () -> run(in, output, true, console), output.toString());
            assertTrue(
                    e.getMessage().contains("--output " + output)
                            && e.getMessage().contains("--input"),
                    e.getMessage());
            assertFalse(console.toString().contains("images under"), "refused before any work: " + console);
        }
        assertArrayEquals(a, Files.readAllBytes(in.resolve("a.png")));
        assertArrayEquals(b, Files.readAllBytes(in.resolve("sub/b.png")));
        assertEquals(List.of("a.png", "sub"), list(in));
    }

    @Test
    void neverDeletesAManifestItDidNotWrite() throws IOException {
        Path in = tmp.resolve("foreign/in");
        png(in.resolve("a.png"), 1);
        Path out = tmp.resolve("foreign/out");
        write(out.resolve("_manifest/mine.txt"), "my notes".getBytes(StandardCharsets.UTF_8));

        UserException folder = assertThrows(UserException.class, () -> run(in, out, false, new StringWriter()));
        assertTrue(folder.getMessage().contains(out.resolve("_manifest").toString()), folder.getMessage());
        assertEquals("my notes", Files.readString(out.resolve("_manifest/mine.txt")));
        assertFalse(Files.exists(out.resolve("a.png")), "refused before any work");

        Files.move(out.resolve("_manifest"), tmp.resolve("foreign/moved"));
        write(out.resolve("_manifest.csv"), "my,own\n1,2\n".getBytes(StandardCharsets.UTF_8));
        UserException csv = assertThrows(UserException.class, () -> run(in, out, false, new StringWriter()));
        assertTrue(csv.getMessage().contains(out.resolve("_manifest.csv").toString()), csv.getMessage());
        assertEquals("my,own\n1,2\n", Files.readString(out.resolve("_manifest.csv")));
    }

    @Test
    void anOutputThatCannotBeWrittenFailsBeforeAnyWork() throws IOException {
        Path in = tmp.resolve("unwritable/in");
        png(in.resolve("a.png"), 1);
        Path file = tmp.resolve("unwritable/a-file");
        write(file, "x".getBytes(StandardCharsets.UTF_8));

        for (Path output : List.of(file, file.resolve("out"))) {
            StringWriter console = new StringWriter();
            UserException e =
                    assertThrows(UserException.class, () -> run(in, output, false, console), output.toString());
            assertTrue(e.getMessage().contains("--output " + output), e.getMessage());
            assertFalse(console.toString().contains("images under"), "refused before any work: " + console);
        }
        assertEquals("x", Files.readString(file));
    }

    private static RestoreJob.Result run(Path in, Path out, boolean overwrite, StringWriter console)
            throws IOException {
        RestoreSpec spec = new RestoreSpec(
                model.toString(),
                in.toString(),
                out.toString(),
                "",
                overwrite,
                "png",
                32,
                8,
                0,
                ImageCodec.DEFAULT_MAX_PIXELS,
                NetConfig.preset("tiny", 5),
                false);
        return RestoreJob.run(spark, spec, new PrintWriter(console, true));
    }

    /** The manifest rows by input path relative to the input folder. */
    private static Map<String, ManifestRow> manifest(Path out) {
        return spark.read().parquet(out.resolve("_manifest").toString()).collectAsList().stream()
                .map(ManifestRow::fromRow)
                .collect(Collectors.toMap(
                        r -> r.path().substring(r.path().indexOf("/in/") + "/in/".length()), Function.identity()));
    }

    private static List<String> list(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void png(Path file, long seed) throws IOException {
        write(file, ImageCodec.encodePng(TestModels.image(16, 16, seed)));
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }
}
