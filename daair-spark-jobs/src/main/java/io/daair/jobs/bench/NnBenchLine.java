package io.daair.jobs.bench;

import io.daair.nn.bench.NnBench;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.DeserializationFeature;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.json.JsonMapper;

/**
 * The line a measured process of {@code daair bench nn} prints: one JSON object with the fields of
 * {@link NnBench.Result}. The daair side ({@link NnBench#main}) and the PyTorch reference
 * ({@code tools/reference/bench_ref.py}) print the same, so one reader serves both.
 */
public final class NnBenchLine {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .build();

    private NnBenchLine() {}

    /**
     * @param source who printed the line, for the error message
     * @throws IllegalStateException when the line is not such an object
     */
    public static NnBench.Result parse(String line, String source) {
        return parse(line, NnBench.Result.class, source);
    }

    /** A result line of another measured process (e.g. {@link io.daair.nn.bench.SoakBench}) as its record. */
    public static <T> T parse(String line, Class<T> type, String source) {
        try {
            return MAPPER.readValue(line, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "bench: cannot read the result line of " + source + " (" + e.getOriginalMessage() + "): " + line);
        }
    }
}
