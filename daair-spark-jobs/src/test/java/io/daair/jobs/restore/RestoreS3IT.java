package io.daair.jobs.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.data.image.ImageCodec;
import io.daair.data.image.RgbImage;
import io.daair.jobs.cli.DaairCommand;
import io.daair.jobs.model.TestModels;
import io.daair.jobs.testing.S3Server;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code daair restore} on a real S3 API (S3Proxy on loopback) through Hadoop's S3A connector, credentials given
 * as a user gives them ({@code spark.hadoop.fs.s3a.*} settings of the session): outputs checked as the objects
 * the S3 server stored, the manifest, a corrupt image, a rerun that skips, {@code --overwrite}.
 */
class RestoreS3IT {
    @TempDir
    static java.nio.file.Path tmp;

    static S3Server s3;
    static SparkSession spark;
    static FileSystem fs;

    @BeforeAll
    static void start() throws IOException {
        s3 = S3Server.start(tmp.resolve("s3"));
        s3.createBucket("photos");
        spark = s3.configure(SparkSession.builder()
                        .master("local[2]")
                        .appName("RestoreS3IT")
                        .config("spark.ui.enabled", "false")
                        .config("spark.driver.host", "127.0.0.1")
                        .config("spark.driver.bindAddress", "127.0.0.1")
                        .config("spark.sql.shuffle.partitions", "2")
                        .config("spark.local.dir", tmp.resolve("spark-local").toString()))
                .getOrCreate();
        Configuration conf = s3.conf();
        fs = FileSystem.get(URI.create("s3a://photos/"), conf);
        java.nio.file.Path model = TestModels.tinySafetensors(tmp.resolve("model/tiny.safetensors"));
        fs.copyFromLocalFile(new Path(model.toUri()), new Path("s3a://photos/models/tiny.safetensors"));
        TestModels.writePng(new Path("s3a://photos/in/one.png"), TestModels.image(24, 16, 1), conf);
        TestModels.writePng(new Path("s3a://photos/in/day/two.png"), TestModels.image(16, 40, 2), conf);
        TestModels.write(new Path("s3a://photos/in/day/broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'}, conf);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    static String restore(String... extra) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new java.util.ArrayList<>(List.of(
                "restore",
                "--model",
                "s3a://photos/models/tiny.safetensors",
                "--input",
                "s3a://photos/in",
                "--output",
                "s3a://photos/restored",
                "--tile-size",
                "16",
                "--set",
                "restore.tile-overlap=8"));
        args.addAll(List.of(extra));
        int code = DaairCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(args.toArray(String[]::new));
        assertEquals(4, code, "the broken image fails every run: " + out + "\n" + err);
        assertTrue(
                err.toString().contains("1 of 3 images failed")
                        && err.toString().contains("restored/_manifest.csv"),
                err.toString());
        assertFalse((out.toString() + err).contains(s3.secretKey()), "the secret is never printed");
        return out.toString();
    }

    @Test
    void restoresOnS3SkipsOnRerunAndOverwritesOnRequest() throws IOException {
        String first = restore();
        assertTrue(first.contains("2 restored, 0 skipped, 1 failed of 3"), first);
        assertSize(s3.objectFile("photos", "restored/one.png"), 24, 16);
        assertSize(s3.objectFile("photos", "restored/day/two.png"), 16, 40);
        assertFalse(fs.exists(new Path("s3a://photos/restored/day/broken.png")));

        List<String> csv = csv();
        assertEquals(4, csv.size(), String.join("\n", csv));
        String broken =
                csv.stream().filter(l -> l.contains("broken.png")).findFirst().orElseThrow();
        assertTrue(broken.contains(",4,") && broken.contains(",failed,"), broken);
        assertEquals(2, csv.stream().filter(l -> l.contains(",ok,")).count());
        assertEquals(3, spark.read().parquet("s3a://photos/restored/_manifest").count());

        long written = Files.getLastModifiedTime(s3.objectFile("photos", "restored/one.png"))
                .toMillis();
        String rerun = restore();
        assertTrue(rerun.contains("0 restored, 2 skipped, 1 failed of 3"), rerun);
        assertEquals(
                written,
                Files.getLastModifiedTime(s3.objectFile("photos", "restored/one.png"))
                        .toMillis());
        assertEquals(2, csv().stream().filter(l -> l.contains(",skipped,")).count());

        String overwrite = restore("--overwrite");
        assertTrue(overwrite.contains("2 restored, 0 skipped, 1 failed of 3"), overwrite);
        assertSize(s3.objectFile("photos", "restored/day/two.png"), 16, 40);
    }

    private static List<String> csv() throws IOException {
        try (InputStream in = fs.open(new Path("s3a://photos/restored/_manifest.csv"))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    private static void assertSize(java.nio.file.Path object, int w, int h) throws IOException {
        RgbImage img = ImageCodec.decode(Files.readAllBytes(object), object.toString());
        assertEquals(w, img.width(), object.toString());
        assertEquals(h, img.height(), object.toString());
    }
}
