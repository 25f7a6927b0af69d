package io.daair.jobs.report;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.daair.data.fs.InFlightPaths;
import io.daair.jobs.cli.UserException;
import io.daair.jobs.spark.OutputFolder;
import io.daair.nn.io.BoundedInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes the evaluation report into a directory on any Hadoop file system ({@code file://}, {@code hdfs://},
 * {@code s3a://}): {@code report.json} (every figure), {@code report.md} (the tables) and a self-contained
 * {@code report.html} (tables, charts, gallery; opens offline).
 *
 * <p>Each file is written under a temporary name in the same directory and renamed into place, so a reader
 * never sees half a report; an existing report of the same name is replaced.
 */
public final class ReportWriter {

    public static final String JSON = "report.json";
    public static final String MARKDOWN = "report.md";
    public static final String HTML = "report.html";

    /** The largest report.json read back when checking whose it is (a report of many images is a few MB). */
    private static final long MAX_REPORT_BYTES = 256L << 20;

    private ReportWriter() {}

    /**
     * Writes the three report files into {@code dir} (created if missing).
     *
     * @param gallery the triptychs of {@link Gallery#select} for the HTML report, in that order (may be empty)
     * @return the path of {@code report.html}
     * @throws IOException if the directory cannot be written
     */
    public static Path write(EvaluationReport report, List<Triptych> gallery, Path dir, Configuration conf)
            throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        if (fs instanceof LocalFileSystem local) {
            fs = local.getRaw(); // no .crc side files next to a report meant for people
        }
        if (fs.exists(dir) && !fs.getFileStatus(dir).isDirectory()) {
            throw new IOException(
                    "Report directory " + dir + " is a file: give a directory (it is created if missing)");
        }
        fs.mkdirs(dir);
        writeAtomically(fs, new Path(dir, JSON), ReportJson.write(report));
        writeAtomically(fs, new Path(dir, MARKDOWN), MarkdownReport.render(report));
        Path html = new Path(dir, HTML);
        writeAtomically(fs, html, HtmlReport.render(report, gallery));
        return fs.makeQualified(html);
    }

    /**
     * Checks, before an evaluation starts, that {@code dir} is a folder the report can be written to and that it
     * holds no report files daair did not write ({@code report.json} that is not a daair report, or a
     * {@code report.md}/{@code report.html} without one): those are the user's, and writing would replace them.
     *
     * @param given the folder as the user wrote it ({@code --report})
     */
    public static void checkFolder(Path dir, Configuration conf, String given) throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        OutputFolder.prepare(dir, fs, "--report", given);
        Path json = new Path(dir, JSON);
        boolean ours = false;
        if (fs.exists(json)) {
            try (InputStream in = fs.open(json)) {
                ReportJson.read(
                        new String(BoundedInput.readAtMost(in, MAX_REPORT_BYTES, json.toString()), UTF_8), JSON);
                ours = true;
            } catch (IOException | RuntimeException e) {
                ours = false;
            }
        }
        for (String name : List.of(JSON, MARKDOWN, HTML)) {
            if (!ours && fs.exists(new Path(dir, name))) {
                throw UserException.badInput("--report " + given + " holds a " + name + " that daair did not write:"
                        + " give another folder, or move it away (nothing was changed)");
            }
        }
    }

    private static void writeAtomically(FileSystem fs, Path target, String content) throws IOException {
        Path temp = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
        InFlightPaths.add(fs, temp);
        try {
            try (OutputStream out = fs.create(temp, false)) {
                out.write(content.getBytes(StandardCharsets.UTF_8));
            }
            if (fs.exists(target)) {
                fs.delete(target, false);
            }
            if (!fs.rename(temp, target)) {
                throw new IOException("Cannot rename " + temp + " to " + target);
            }
        } finally {
            if (fs.exists(temp)) {
                fs.delete(temp, false);
            }
            InFlightPaths.remove(temp);
        }
    }
}
