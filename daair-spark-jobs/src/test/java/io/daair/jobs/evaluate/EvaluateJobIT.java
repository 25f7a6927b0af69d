package io.daair.jobs.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.data.degrade.Degradation;
import io.daair.data.degrade.Degraders;
import io.daair.data.degrade.Seeds;
import io.daair.data.image.ImageStore;
import io.daair.data.image.RgbImage;
import io.daair.data.metrics.Psnr;
import io.daair.data.metrics.Ssim;
import io.daair.jobs.model.TestModels;
import io.daair.jobs.report.BenchmarkSummary;
import io.daair.jobs.report.EvaluationReport;
import io.daair.jobs.report.FailedImage;
import io.daair.jobs.report.ImageResult;
import io.daair.jobs.report.ReportJson;
import io.daair.jobs.testing.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code daair evaluate} end to end on local[2]: a tiny model on a BSD68-like folder (three noise levels) and a
 * paired folder; the report files, and every per-benchmark figure recomputed here from the images the job saved
 * and the inputs rebuilt independently (the noise protocol's seed from its documented key).
 */
class EvaluateJobIT {
    @TempDir
    static Path tmp;

    static SparkSession spark;
    static final long SEED = 20240611L;
    static final List<String> BSD = List.of("101.png", "102.png");
    static final List<String> PAIRED = List.of("p1.png", "p2.png");
    static final String PATCH_SOURCE = "photo.png";

    @BeforeAll
    static void start() throws IOException {
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("EvaluateJobIT")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.local.dir", tmp.resolve("spark-local").toString())
                .getOrCreate();
        TestModels.tinySafetensors(tmp.resolve("model.safetensors"));
        var conf = spark.sparkContext().hadoopConfiguration();
        for (int i = 0; i < BSD.size(); i++) {
            TestModels.writePng(hadoop(tmp.resolve("BSD68/" + BSD.get(i))), TestModels.image(32, 24, 10 + i), conf);
        }
        for (int i = 0; i < PAIRED.size(); i++) {
            RgbImage clean = TestModels.image(24, 32, 20 + i);
            float[] hazy = clean.chw().clone();
            for (int k = 0; k < hazy.length; k++) {
                hazy[k] = 0.6f * hazy[k] + 0.4f * 0.9f;
            }
            TestModels.writePng(hadoop(tmp.resolve("clean/" + PAIRED.get(i))), clean, conf);
            TestModels.writePng(
                    hadoop(tmp.resolve("hazy/" + PAIRED.get(i))), new RgbImage(24, 32, hazy).quantised8(), conf);
        }
        writePatches(tmp.resolve("patches"));
        Files.createDirectories(tmp.resolve("run"));
        Files.writeString(
                tmp.resolve("run/metrics.jsonl"),
                "{\"round\":1,\"step\":5,\"loss\":0.2,\"aux_loss\":1.6,\"router_accuracy\":0.2,\"samples_per_sec\":3}\n"
                        + "{\"round\":2,\"step\":10,\"loss\":0.1,\"aux_loss\":1.5,\"router_accuracy\":0.4,"
                        + "\"samples_per_sec\":3}\n",
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE_NEW);
    }

    /** Two 16x16 haze patches in the layout of {@code daair prepare} (partition folder degradation=haze). */
    private static void writePatches(Path dir) {
        StructType schema = new StructType()
                .add("source_path", DataTypes.StringType)
                .add("patch_index", DataTypes.IntegerType)
                .add("clean", DataTypes.BinaryType)
                .add("degraded", DataTypes.BinaryType)
                .add("height", DataTypes.IntegerType)
                .add("width", DataTypes.IntegerType)
                .add("degradation", DataTypes.StringType);
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            byte[] clean = TestModels.image(16, 16, 30 + i).toUint8();
            byte[] hazy = clean.clone();
            for (int k = 0; k < hazy.length; k++) {
                hazy[k] = (byte) Math.round(0.5 * (clean[k] & 0xFF) + 100);
            }
            rows.add(RowFactory.create("file:/photos/" + PATCH_SOURCE, i, clean, hazy, 16, 16, "haze"));
        }
        spark.createDataFrame(rows, schema).write().partitionBy("degradation").parquet(dir.toString());
    }

    private static org.apache.hadoop.fs.Path hadoop(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        return new org.apache.hadoop.fs.Path(p.toUri());
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void reportFiguresEqualAnIndependentComputationFromTheSavedImages() throws IOException {
        Path report = tmp.resolve("report");
        Cli.Run run = Cli.daair(
                "evaluate",
                "--model",
                tmp.resolve("model.safetensors").toString(),
                "--benchmark",
                "bsd68=" + tmp.resolve("BSD68"),
                "--benchmark",
                "paired=hazy:" + tmp.resolve("hazy") + ":" + tmp.resolve("clean") + ":haze",
                "--benchmark",
                "parquet=" + tmp.resolve("patches"),
                "--report",
                report.toString(),
                "--run",
                tmp.resolve("run").toString(),
                "--save-images",
                "--stacktrace",
                "--set",
                "evaluate.tile-size=16",
                "--set",
                "evaluate.tile-overlap=8");
        assertEquals(0, run.exitCode(), run.printed());
        List<String> lines = run.out().lines().toList();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("evaluate: report ") && last.endsWith("report.html"), run.out());
        assertTrue(run.out().contains("BSD68 σ25"), "paper-style table printed:\n" + run.out());

        for (String f : List.of("report.json", "report.md", "report.html")) {
            assertTrue(Files.size(report.resolve(f)) > 200, f);
        }
        assertTrue(Files.readString(report.resolve("report.html")).contains("data:image/png;base64"), "gallery");
        EvaluationReport r = ReportJson.read(Files.readString(report.resolve("report.json")), "report.json");
        assertEquals(
                List.of("bsd68-s15", "bsd68-s25", "bsd68-s50", "hazy", "patches-haze"),
                r.benchmarks().stream().map(BenchmarkSummary::benchmark).toList());
        assertEquals(3 * BSD.size() + PAIRED.size() + 2, r.images().size());
        assertTrue(
                run.out().contains("evaluate: " + r.images().size() + " images done"),
                "progress counts every image (no total: Parquet patches are counted by the tasks):\n" + run.out());
        checkPatches(r, report);
        assertEquals(r.images().size(), r.routing().total());
        assertEquals(2, r.training().size());

        ImageStore store = ImageStore.local();
        Map<String, List<String>> ids = Map.of("bsd68-s15", BSD, "bsd68-s25", BSD, "bsd68-s50", BSD, "hazy", PAIRED);
        for (BenchmarkSummary b : r.benchmarks().subList(0, 4)) {
            double[] sums = new double[4];
            for (String id : ids.get(b.benchmark())) {
                RgbImage clean = store.read(tmp.resolve((b.benchmark().equals("hazy") ? "clean/" : "BSD68/") + id)
                        .toString());
                RgbImage degraded = b.benchmark().equals("hazy")
                        ? store.read(tmp.resolve("hazy/" + id).toString())
                        : noisy(clean, b.benchmark(), id);
                RgbImage restored = store.read(
                        report.resolve("restored/" + b.benchmark() + "/" + id).toString());
                sums[0] += Psnr.compute(clean.chw(), degraded.chw());
                sums[1] += ssim(clean, degraded);
                sums[2] += Psnr.compute(clean.chw(), restored.chw());
                sums[3] += ssim(clean, restored);
                ImageResult one = r.images().stream()
                        .filter(i -> i.benchmark().equals(b.benchmark())
                                && i.imageId().equals(id))
                        .findFirst()
                        .orElseThrow();
                assertEquals(Psnr.compute(clean.chw(), restored.chw()), one.outputPsnr(), 1e-9, b + "/" + id);
                assertEquals(b.benchmark().equals("hazy") ? "haze" : "noise", one.degradation());
            }
            int n = ids.get(b.benchmark()).size();
            assertEquals(n, b.images());
            assertEquals(sums[0] / n, b.inputPsnr(), 1e-9, b.benchmark() + " input PSNR");
            assertEquals(sums[1] / n, b.inputSsim(), 1e-9, b.benchmark() + " input SSIM");
            assertEquals(sums[2] / n, b.psnr(), 1e-9, b.benchmark() + " output PSNR");
            assertEquals(sums[3] / n, b.ssim(), 1e-9, b.benchmark() + " output SSIM");
        }
        BenchmarkSummary s15 = r.benchmarks().get(0);
        BenchmarkSummary s50 = r.benchmarks().get(2);
        assertTrue(s15.inputPsnr() > s50.inputPsnr() + 6, "sigma 50 is much noisier than 15: " + s15 + " " + s50);
    }

    @Test
    void badPairsAreReportedRowsAndTheRestIsEvaluated() throws IOException {
        var conf = spark.sparkContext().hadoopConfiguration();
        Path bad = tmp.resolve("badpairs");
        RgbImage good = TestModels.image(24, 16, 40);
        TestModels.writePng(hadoop(bad.resolve("clean/good.png")), good, conf);
        TestModels.writePng(hadoop(bad.resolve("hazy/good.png")), good, conf);
        RgbImage tiny = TestModels.image(7, 5, 41);
        TestModels.writePng(hadoop(bad.resolve("clean/tiny.png")), tiny, conf);
        TestModels.writePng(hadoop(bad.resolve("hazy/tiny.png")), tiny, conf);
        TestModels.writePng(hadoop(bad.resolve("clean/empty.png")), good, conf);
        Files.write(bad.resolve("hazy/empty.png"), new byte[0]);
        TestModels.writePng(hadoop(bad.resolve("clean/cut.png")), good, conf);
        byte[] png = Files.readAllBytes(bad.resolve("clean/good.png"));
        Files.write(bad.resolve("hazy/cut.png"), java.util.Arrays.copyOf(png, png.length / 2));

        Path report = tmp.resolve("badreport");
        Cli.Run run = Cli.daair(
                "evaluate",
                "--model",
                tmp.resolve("model.safetensors").toString(),
                "--benchmark",
                "paired=mixed:" + bad.resolve("hazy") + ":" + bad.resolve("clean") + ":haze",
                "--report",
                report.toString(),
                "--set",
                "evaluate.tile-size=16",
                "--set",
                "evaluate.tile-overlap=8");
        assertEquals(4, run.exitCode(), run.printed());
        assertTrue(run.err().contains("3 of 4"), run.err());
        assertEquals(1, run.err().strip().lines().count(), "one line: " + run.err());
        for (String name : List.of("tiny.png", "empty.png", "cut.png")) {
            assertTrue(run.out().contains(name), name + " not reported:\n" + run.out());
        }

        EvaluationReport r = ReportJson.read(Files.readString(report.resolve("report.json")), "report.json");
        assertEquals(
                List.of("good.png"),
                r.images().stream().map(ImageResult::imageId).toList());
        assertEquals(
                List.of("cut.png", "empty.png", "tiny.png"),
                r.failures().stream().map(FailedImage::imageId).sorted().toList());
        for (FailedImage f : r.failures()) {
            assertEquals("mixed", f.benchmark());
            assertTrue(f.file().endsWith(f.imageId()), f.toString());
            assertTrue(!f.reason().isBlank() && !f.reason().contains("\n"), f.toString());
        }
        String md = Files.readString(report.resolve("report.md"));
        String html = Files.readString(report.resolve("report.html"));
        for (String name : List.of("tiny.png", "empty.png", "cut.png")) {
            assertTrue(md.contains(name) && html.contains(name), name + " not in report.md / report.html");
        }
    }

    @Test
    void anImageAboveThePixelBudgetIsAReportedRowNamingTheKey() throws IOException {
        var conf = spark.sparkContext().hadoopConfiguration();
        Path dir = tmp.resolve("budget");
        TestModels.writePng(hadoop(dir.resolve("clean/small.png")), TestModels.image(16, 16, 42), conf);
        TestModels.writePng(hadoop(dir.resolve("clean/large.png")), TestModels.image(24, 16, 43), conf);

        Path report = tmp.resolve("budgetreport");
        Cli.Run run = Cli.daair(
                "evaluate",
                "--model",
                tmp.resolve("model.safetensors").toString(),
                "--benchmark",
                "synthetic=" + dir.resolve("clean"),
                "--report",
                report.toString(),
                "--set",
                "data.image.max-pixels=300",
                "--set",
                "evaluate.tile-size=16",
                "--set",
                "evaluate.tile-overlap=8");
        assertEquals(4, run.exitCode(), run.printed());
        EvaluationReport r = ReportJson.read(Files.readString(report.resolve("report.json")), "report.json");
        assertTrue(
                r.images().stream().allMatch(i -> i.imageId().equals("small.png")),
                r.images().toString());
        assertFalse(r.failures().isEmpty());
        for (FailedImage f : r.failures()) {
            assertEquals("large.png", f.imageId());
            assertTrue(f.reason().contains("daair.data.image.max-pixels"), f.reason());
        }
    }

    @Test
    void aReportFolderHoldingSomeoneElsesReportOrNotWritableIsRefusedBeforeAnyWork() throws IOException {
        Path theirs = Files.createDirectories(tmp.resolve("theirs"));
        Files.writeString(theirs.resolve("report.html"), "my own notes");
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        for (Path report : List.of(theirs, file.resolve("report"))) {
            Cli.Run run = Cli.daair(
                    "evaluate",
                    "--model",
                    tmp.resolve("no-such-model.safetensors").toString(),
                    "--benchmark",
                    "synthetic=" + tmp.resolve("no-such-photos"),
                    "--report",
                    report.toString());
            assertEquals(2, run.exitCode(), run.printed());
            assertTrue(run.err().contains("--report " + report), run.err());
        }
        assertEquals("my own notes", Files.readString(theirs.resolve("report.html")));
        assertEquals(List.of(theirs.resolve("report.html")), Files.list(theirs).toList());
    }

    /** The Parquet patches: figures recomputed from the patch bytes and the saved restorations. */
    private static void checkPatches(EvaluationReport r, Path report) throws IOException {
        BenchmarkSummary b = r.benchmarks().get(4);
        List<Row> rows = spark.read()
                .parquet(tmp.resolve("patches").toString())
                .orderBy("patch_index")
                .collectAsList();
        double in = 0;
        double out = 0;
        for (Row row : rows) {
            RgbImage clean = RgbImage.fromUint8(16, 16, (byte[]) row.getAs("clean"));
            RgbImage hazy = RgbImage.fromUint8(16, 16, (byte[]) row.getAs("degraded"));
            int index = row.getAs("patch_index");
            RgbImage restored = ImageStore.local()
                    .read(report.resolve("restored/patches-haze/photo-p" + index + ".png")
                            .toString());
            in += Psnr.compute(clean.chw(), hazy.chw());
            out += Psnr.compute(clean.chw(), restored.chw());
        }
        assertEquals(2, b.images());
        assertEquals(in / 2, b.inputPsnr(), 1e-9, "patch input PSNR");
        assertEquals(out / 2, b.psnr(), 1e-9, "patch output PSNR");
    }

    /** The noise protocol rebuilt from its documented seed key: {@code <dataset>/<id>#noise:<sigma>#0}. */
    private static RgbImage noisy(RgbImage clean, String benchmark, String id) {
        int sigma = Integer.parseInt(benchmark.substring("bsd68-s".length()));
        long seed = Seeds.forKey(SEED, "bsd68/" + id + "#noise:" + sigma + "#0");
        return Degraders.synthetic(Degradation.NOISE, sigma).apply(clean, seed).image();
    }

    private static double ssim(RgbImage a, RgbImage b) {
        return Ssim.compute(a.chw(), b.chw(), a.width(), a.height());
    }
}
