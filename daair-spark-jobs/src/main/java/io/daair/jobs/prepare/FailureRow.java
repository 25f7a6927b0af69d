package io.daair.jobs.prepare;

import io.daair.data.datasets.Sample;
import io.daair.data.image.ImageDecodeException;

/**
 * A failed sample as one line of {@link PatchSetFolder#FAILURES}: the file at fault, the sample's key and the
 * reason, tab-separated (tabs and line breaks inside a value become spaces). Made on the executors.
 */
final class FailureRow {
    static final String HEADER = "path\tsample\treason";

    private FailureRow() {}

    /** The row of {@code sample} failing with {@code e}, ending with a line break. */
    static String of(Sample sample, Exception e) {
        String path;
        String reason;
        if (e instanceof ImageDecodeException d) {
            path = d.file();
            reason = d.reason();
        } else {
            path = sample.isSynthetic() ? sample.cleanPath() : sample.degradedPath();
            reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return clean(path) + "\t" + clean(sample.key()) + "\t" + clean(reason) + "\n";
    }

    /** The path column of a row. */
    static String path(String row) {
        return row.substring(0, row.indexOf('\t'));
    }

    /** "path: reason" of a row, for the console. */
    static String example(String row) {
        String[] cols = row.strip().split("\t", 3);
        return cols[0] + ": " + cols[2];
    }

    private static String clean(String value) {
        return value.replaceAll("[\t\r\n]+", " ");
    }
}
