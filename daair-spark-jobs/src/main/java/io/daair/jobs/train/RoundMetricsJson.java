package io.daair.jobs.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** Reads back the small JSON documents of a run directory (metrics lines, checkpoint metadata). */
final class RoundMetricsJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RoundMetricsJson() {}

    static RoundMetrics parse(String line) {
        JsonNode n = tree(line);
        return new RoundMetrics(
                n.get("round").asLong(),
                n.get("step").asLong(),
                n.get("loss").asDouble(),
                n.get("aux_loss").asDouble(),
                n.get("router_accuracy").asDouble(),
                n.get("samples_per_sec").asDouble(),
                n.get("compute_seconds").asDouble(),
                n.get("averaging_seconds").asDouble(),
                n.get("learning_rate").asDouble(),
                n.get("workers").asInt(),
                n.get("samples").asLong());
    }

    static long longField(String json, String field) {
        return tree(json).get(field).asLong();
    }

    /** A text field, or null when absent. */
    static String textField(String json, String field) {
        JsonNode n = tree(json).get(field);
        return n == null ? null : n.asText();
    }

    static double doubleField(String json, String field) {
        return tree(json).get(field).asDouble();
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not valid JSON: " + json, e);
        }
    }
}
