package io.daair.jobs.report;

import io.daair.jobs.cli.UserException;
import org.nd4j.shade.jackson.core.JsonProcessingException;

/**
 * {@code report.json}: an {@link EvaluationReport} as JSON (field names as the record components; the derived
 * {@code average}, {@code inputAverage} and {@code paper} are written for readers and ignored when read back).
 */
public final class ReportJson {

    private ReportJson() {}

    /** The report as indented JSON. */
    public static String write(EvaluationReport report) {
        try {
            return Json.MAPPER.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the evaluation report as JSON", e);
        }
    }

    /**
     * Reads a report written by {@link #write}.
     *
     * @param source where the JSON came from, for the error message
     * @throws IllegalArgumentException if it is not a report
     */
    public static EvaluationReport read(String json, String source) {
        try {
            return Json.MAPPER.readValue(json, EvaluationReport.class);
        } catch (JsonProcessingException e) {
            throw UserException.badInput(
                    source + " is not an evaluation report written by daair: " + e.getOriginalMessage(), e);
        }
    }
}
