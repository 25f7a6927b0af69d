package io.daair.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.jobs.testing.MiniHdfs;
import io.daair.jobs.train.RoundMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report reads a training run's metrics from, and writes its files to, a real HDFS. */
class ReportWriterIT {

    @TempDir
    static java.nio.file.Path tmp;

    static MiniHdfs hdfs;

    @BeforeAll
    static void start() throws IOException {
        hdfs = MiniHdfs.start(tmp.resolve("hdfs"));
    }

    @AfterAll
    static void stop() {
        hdfs.close();
    }

    @Test
    void writesAndRewritesTheReportOnHdfs() throws IOException {
        FileSystem fs = FileSystem.get(hdfs.uri(), hdfs.conf());
        Path run = new Path(hdfs.uri().resolve("/runs/demo"));
        try (OutputStream out = fs.create(new Path(run, RoundMetrics.FILE_NAME))) {
            for (RoundMetrics p : SyntheticEvaluation.training()) {
                out.write((p.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        List<RoundMetrics> training = RoundMetrics.read(run, hdfs.conf());
        assertEquals(SyntheticEvaluation.training(), training);

        List<ImageResult> results = SyntheticEvaluation.results();
        EvaluationReport report = EvaluationReport.of("hdfs-model", SyntheticEvaluation.EXPERTS, results, training);
        Path dir = new Path(hdfs.uri().resolve("/reports/eval1"));
        Path html = ReportWriter.write(report, SyntheticEvaluation.gallery(results), dir, hdfs.conf());
        ReportWriter.write(report, List.of(), dir, hdfs.conf()); // a rerun replaces the files

        assertEquals(new Path(dir, ReportWriter.HTML), html);
        assertEquals(
                List.of(ReportWriter.HTML, ReportWriter.JSON, ReportWriter.MARKDOWN),
                Arrays.stream(fs.listStatus(dir))
                        .map(FileStatus::getPath)
                        .map(Path::getName)
                        .sorted()
                        .toList());
        assertEquals(report, ReportJson.read(read(fs, new Path(dir, ReportWriter.JSON)), "report.json"));
        assertTrue(read(fs, html).contains("No images were kept for the gallery."));
    }

    private static String read(FileSystem fs, Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
