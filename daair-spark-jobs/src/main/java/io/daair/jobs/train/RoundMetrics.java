package io.daair.jobs.train;

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
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.core.JsonParser;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.core.json.JsonReadFeature;
import org.nd4j.shade.jackson.databind.DeserializationContext;
import org.nd4j.shade.jackson.databind.DeserializationFeature;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.deser.std.StdDeserializer;
import org.nd4j.shade.jackson.databind.json.JsonMapper;

/**
 * One accepted round, one line of a run's {@code metrics.jsonl}: the one owner of that file's format, which
 * the trainer writes, {@code --resume} reads back and the evaluation report draws its training curves from.
 *
 * <p><b>Format</b> (UTF-8, one JSON object per line, the whole file rewritten after each round):
 *
 * <pre>{@code
 * {"round":12,"step":60,"loss":0.0831,"aux_loss":0.412,"router_accuracy":0.875,"samples_per_sec":41.7,
 *  "compute_seconds":1.9,"averaging_seconds":0.4,"learning_rate":2.0E-4,"workers":2,"samples":40}
 * }</pre>
 *
 * <ul>
 *   <li>required: {@code round}, {@code step}, {@code loss}, {@code aux_loss}, {@code router_accuracy},
 *       {@code samples_per_sec}; the other fields, absent from older runs, read as NaN (numbers) or 0 (counts);
 *       unknown fields are ignored;
 *   <li>numbers are written in full (Java's shortest exact form), so a value reads back exactly;
 *   <li>a non-finite number is written as the string {@code "NaN"}, {@code "Infinity"} or {@code "-Infinity"}
 *       (a run without experts has no router accuracy: {@code "router_accuracy":"NaN"}); reading also
 *       accepts them bare ({@code NaN}, as runs before this convention wrote them) and {@code null} as NaN.
 * </ul>
 *
 * @param round averaging round, from 1
 * @param step optimizer steps taken when the round ended (the learning-rate schedule's step)
 * @param loss total loss, {@code L1 + lambda * aux_loss}, mean over workers and local steps
 * @param auxLoss router cross-entropy (unweighted), mean over the DaLe routers, workers and local steps
 * @param routerAccuracy fraction of samples whose routers chose the true degradation, NaN without routers
 * @param samplesPerSec training samples per second over the round, all workers together
 * @param computeSeconds the round's compute time (slowest worker)
 * @param averagingSeconds the rest of the round's wall time (broadcast, aggregation, driver)
 * @param learningRate the learning rate at the round's first step
 * @param workers workers of the round
 * @param samples samples trained on (workers x local steps x batch; a retried task is counted once)
 */
public record RoundMetrics(
        @JsonProperty("round") long round,
        @JsonProperty("step") long step,
        @JsonProperty("loss") double loss,
        @JsonProperty("aux_loss") double auxLoss,
        @JsonProperty("router_accuracy") double routerAccuracy,
        @JsonProperty("samples_per_sec") double samplesPerSec,
        @JsonProperty("compute_seconds") double computeSeconds,
        @JsonProperty("averaging_seconds") double averagingSeconds,
        @JsonProperty("learning_rate") double learningRate,
        @JsonProperty("workers") int workers,
        @JsonProperty("samples") long samples) {

    /** Name of the metrics file inside a training run directory. */
    public static final String FILE_NAME = "metrics.jsonl";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    @JsonCreator
    static RoundMetrics fromFields(
            @JsonProperty(value = "round", required = true) long round,
            @JsonProperty(value = "step", required = true) long step,
            @JsonProperty(value = "loss", required = true) Double loss,
            @JsonProperty(value = "aux_loss", required = true) Double auxLoss,
            @JsonProperty(value = "router_accuracy", required = true) Double routerAccuracy,
            @JsonProperty(value = "samples_per_sec", required = true) Double samplesPerSec,
            @JsonProperty("compute_seconds") Double computeSeconds,
            @JsonProperty("averaging_seconds") Double averagingSeconds,
            @JsonProperty("learning_rate") Double learningRate,
            @JsonProperty("workers") int workers,
            @JsonProperty("samples") long samples) {
        return new RoundMetrics(
                round,
                step,
                orNaN(loss),
                orNaN(auxLoss),
                orNaN(routerAccuracy),
                orNaN(samplesPerSec),
                orNaN(computeSeconds),
                orNaN(averagingSeconds),
                orNaN(learningRate),
                workers,
                samples);
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }

    /** Reads a round inside another JSON document (the training curves of {@code report.json}) by these rules. */
    public static final class InOtherDocuments extends StdDeserializer<RoundMetrics> {
        public InOtherDocuments() {
            super(RoundMetrics.class);
        }

        @Override
        public RoundMetrics deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return JSON.readValue(p, RoundMetrics.class);
        }
    }

    /** This round as one line of {@code metrics.jsonl}, without the line separator. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the metrics of round " + round, e);
        }
    }

    /** One line of {@code metrics.jsonl}. */
    public static RoundMetrics fromJson(String line) throws JsonProcessingException {
        return JSON.readValue(line, RoundMetrics.class);
    }

    /**
     * The rounds of {@code <runDir>/metrics.jsonl} on any Hadoop file system. Blank lines are skipped and an
     * unreadable <em>last</em> line (a run stopped while writing it) is ignored.
     *
     * @throws UserException (bad state) if the run directory has no {@code metrics.jsonl}
     * @throws IOException if it cannot be read, or a line other than the last is not a round's metrics
     */
    public static List<RoundMetrics> read(Path runDir, Configuration conf) throws IOException {
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

    static List<RoundMetrics> parse(List<String> lines, String source) throws IOException {
        List<RoundMetrics> rounds = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                rounds.add(fromJson(line));
            } catch (JsonProcessingException e) {
                if (i == lines.size() - 1) {
                    break; // a run stopped while writing its last line
                }
                throw new IOException(
                        source + " line " + (i + 1) + " is not a round's metrics (fields round, step, loss,"
                                + " aux_loss, router_accuracy, samples_per_sec): " + e.getOriginalMessage(),
                        e);
            }
        }
        return rounds;
    }
}
