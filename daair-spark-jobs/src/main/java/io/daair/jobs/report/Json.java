package io.daair.jobs.report;

import org.nd4j.shade.jackson.core.json.JsonReadFeature;
import org.nd4j.shade.jackson.databind.DeserializationFeature;
import org.nd4j.shade.jackson.databind.MapperFeature;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.ObjectWriter;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import org.nd4j.shade.jackson.databind.json.JsonMapper;

/**
 * The JSON mapper of {@code report.json} (the training curves in it are {@code RoundMetrics}, the records of
 * {@code metrics.jsonl}).
 *
 * <p>It is ND4J's shaded Jackson ({@code org.nd4j.shade.jackson}, 2.13), not Spark's
 * {@code com.fasterxml.jackson}: the shaded copy is a compile dependency of daair-nn and so always inside
 * {@code daair.jar}, whichever Spark runs the job (Spark 4.0 and 4.1 ship different Jackson versions, and
 * Spark is only {@code provided} here), it works in plain unit tests and tools without Spark, and the
 * trainer's Jackson-annotated SameDiff configuration already uses it. Non-finite numbers (a PSNR of
 * identical images is +Infinity) are written as the strings {@code "Infinity"}/{@code "NaN"} and read back.
 */
final class Json {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // derived read-only figures (EvaluationReport.paper()) are written, never filled in when read
            .disable(MapperFeature.USE_GETTERS_AS_SETTERS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /** Writes one value on one line (for JSON lines). */
    static final ObjectWriter ONE_LINE = MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    private Json() {}
}
