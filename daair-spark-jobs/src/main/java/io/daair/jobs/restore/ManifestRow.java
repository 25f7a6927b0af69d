package io.daair.jobs.restore;

import java.io.Serializable;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One row of the restoration manifest: what happened to one input image.
 *
 * @param path the input image (URI as listed)
 * @param output the restored image written (or found, when skipped); null when the input path was unsafe
 * @param width image width in pixels; null when not decoded (skipped or failed before decoding)
 * @param height image height in pixels; null when not decoded
 * @param bytes size of the input file
 * @param degradation the degradation the router detected ({@code noise}, ..., {@code none} without experts);
 *     null when not restored
 * @param confidence the router's probability of that degradation; null when not restored
 * @param millis wall time spent on this image (reading, restoring, writing)
 * @param status {@code ok}, {@code skipped} (output exists without {@code --overwrite}, or a hidden file) or
 *     {@code failed}
 * @param reason why it was skipped or failed; null when restored
 */
public record ManifestRow(
        String path,
        String output,
        Integer width,
        Integer height,
        long bytes,
        String degradation,
        Double confidence,
        long millis,
        String status,
        String reason)
        implements Serializable {

    public static final String OK = "ok";
    public static final String SKIPPED = "skipped";
    public static final String FAILED = "failed";

    /** The Parquet and CSV columns, in order. */
    public static final StructType SCHEMA = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("output", DataTypes.StringType, true)
            .add("width", DataTypes.IntegerType, true)
            .add("height", DataTypes.IntegerType, true)
            .add("bytes", DataTypes.LongType, false)
            .add("degradation", DataTypes.StringType, true)
            .add("confidence", DataTypes.DoubleType, true)
            .add("millis", DataTypes.LongType, false)
            .add("status", DataTypes.StringType, false)
            .add("reason", DataTypes.StringType, true);

    public ManifestRow {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(status, "status");
    }

    static ManifestRow ok(
            String path, String output, int w, int h, long bytes, String degradation, double conf, long ms) {
        return new ManifestRow(path, output, w, h, bytes, degradation, Double.isNaN(conf) ? null : conf, ms, OK, null);
    }

    static ManifestRow skipped(String path, String output, long bytes, long ms, String reason) {
        return new ManifestRow(path, output, null, null, bytes, null, null, ms, SKIPPED, reason);
    }

    static ManifestRow failed(String path, String output, long bytes, long ms, String reason) {
        return new ManifestRow(path, output, null, null, bytes, null, null, ms, FAILED, reason);
    }

    public Row toRow() {
        return RowFactory.create(path, output, width, height, bytes, degradation, confidence, millis, status, reason);
    }

    public static ManifestRow fromRow(Row r) {
        return new ManifestRow(
                r.getString(0),
                r.getString(1),
                r.isNullAt(2) ? null : r.getInt(2),
                r.isNullAt(3) ? null : r.getInt(3),
                r.getLong(4),
                r.getString(5),
                r.isNullAt(6) ? null : r.getDouble(6),
                r.getLong(7),
                r.getString(8),
                r.getString(9));
    }
}
