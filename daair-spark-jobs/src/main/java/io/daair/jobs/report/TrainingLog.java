package io.daair.jobs.report;

import io.daair.jobs.cli.UserException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.shade.jackson.core.JsonProcessingException;

/**
 * The training curves of a run: the {@code metrics.jsonl} file of a training run directory.
 *
 * <p><b>Format</b> (the trainer appends one line per averaging round; UTF-8, one JSON object per line):
 *
 * <pre>{@code
 * {"round": 12, "step": 60, "loss": 0.0831, "aux_loss": 0.412, "router_accuracy": 0.875, "samples_per_sec": 41.7}
 * }</pre>
 *
 * <ul>
 *   <li>required: {@code round} (int, from 1), {@code step} (long, optimizer steps so far), {@code loss},
 *       {@code aux_loss}, {@code router_accuracy} (in [0, 1]), {@code samples_per_sec} (numbers; see
 *       {@link TrainingPoint} for their meaning; {@code NaN} may be written as {@code "NaN"} or {@code NaN});
 *   <li>any other field (learning rate, compute and averaging milliseconds, epoch, ...) is allowed and ignored
 *       here, so the trainer may add what its own progress needs;
 *   <li>blank lines are skipped; an unreadable <em>last</em> line (a run killed while writing it) is ignored,
 *       an unreadable line elsewhere is an error naming the file and the line.
 * </ul>
 *
 * <p>{@link #toJsonLine(TrainingPoint)} writes exactly this format.
 */
public final class TrainingLog {

    /** Name of the metrics file inside a training run directory. */
    public static final String FILE_NAME = "metrics.jsonl";

    private TrainingLog() {}

    /** One line of {@code metrics.jsonl} for {@code point}, without the line separator. */
    public static String toJsonLine(TrainingPoint point) {
        try {
            return Json.ONE_LINE.writeValueAsString(point);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write training point " + point, e);
        }
    }

    /**
     * Reads {@code <runDir>/metrics.jsonl} on any Hadoop file system ({@code file://}, {@code hdfs://},
     * {@code s3a://}).
     *
     * @throws UserException (bad state) if the run directory has no {@code metrics.jsonl}
     * @throws IOException if it cannot be read, or a line other than the last is not a training point
     */
    public static List<TrainingPoint> read(Path runDir, Configuration conf) throws IOException {
        Path file = new Path(runDir, FILE_NAME);
        FileSystem fs = file.getFileSystem(conf);
        if (!fs.exists(file)) {
            throw UserException.badState("No " + FILE_NAME + " in training run directory " + runDir
                    + ": give the directory the train job wrote (--run-dir), or leave the option out");
        }
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        }
        return parse(lines, file.toString());
    }

    static List<TrainingPoint> parse(List<String> lines, String source) throws IOException {
        List<TrainingPoint> points = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                points.add(Json.MAPPER.readValue(line, TrainingPoint.class));
            } catch (JsonProcessingException e) {
                if (i == lines.size() - 1) {
                    break; // a run stopped while writing its last line
                }
                throw new IOException(
                        source + " line " + (i + 1) + " is not a training point (fields round, step, "
                                + "loss, aux_loss, router_accuracy, samples_per_sec): " + e.getOriginalMessage(),
                        e);
            }
        }
        return points;
    }
}
