package io.daair.data.patch;

import io.daair.data.degrade.Degradation;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * The Parquet layout of a prepared patch dataset (written by {@code daair prepare}, read by training and
 * evaluation), and the one codec between a {@link PatchRecord} and the values of a row; Spark-free (the jobs'
 * Spark adapter maps {@link #COLUMNS} to a Spark schema).
 *
 * <table>
 *   <caption>Columns, in order</caption>
 *   <tr><th>column</th><th>type</th><th>meaning</th></tr>
 *   <tr><td>dataset</td><td>string</td><td>source dataset name (e.g. "bsd400")</td></tr>
 *   <tr><td>source_path</td><td>string</td><td>clean image the patch came from (URI)</td></tr>
 *   <tr><td>degraded_path</td><td>string, nullable</td><td>real degraded image; null when synthetic</td></tr>
 *   <tr><td>label</td><td>int</td><td>class label: noise 0, rain 1, haze 2, blur 3, low light 4</td></tr>
 *   <tr><td>params</td><td>string</td><td>degradation parameters, one JSON object</td></tr>
 *   <tr><td>clean</td><td>binary</td><td>clean patch, raw uint8, CHW, 3*height*width bytes</td></tr>
 *   <tr><td>degraded</td><td>binary</td><td>degraded patch, same encoding</td></tr>
 *   <tr><td>height, width</td><td>int</td><td>patch size</td></tr>
 *   <tr><td>seed</td><td>long</td><td>the patch's seed (crop and transform)</td></tr>
 *   <tr><td>patch_index, x, y, transform</td><td>int</td><td>patch number in its sample, crop corner, dihedral 0..7</td></tr>
 *   <tr><td>degradation</td><td>string (partition)</td><td>"noise", "rain", "haze", "blur", "lowlight":
 *       the folder {@code degradation=<id>/}</td></tr>
 * </table>
 *
 * <p><b>Patch encoding: raw uint8 with Parquet zstd compression, not PNG.</b> Measured on the committed sample
 * photos (128x128 patches, 200 clean and 40 of each degradation, this repository's generators): PNG averages
 * 35,950 bytes per patch image against 49,152 raw, but the raw bytes compressed by a general-purpose codec reach
 * the same size (DEFLATE level 1: 36,946 clean, 44,052 noisy vs PNG 36,876 and 44,523; natural-image patches,
 * noise above all, leave PNG's filters little to gain). Decoding, on the other hand, costs 3.5 ms or more per PNG
 * patch through ImageIO against well under 0.5 ms to widen raw bytes to floats, and training reads every patch
 * every epoch. So the column holds raw bytes and the Parquet file compresses them with zstd (what is on disk per
 * patch is reported by {@code prepare}).
 */
public final class PatchSchema {

    /**
     * Encoding of the {@code clean}/{@code degraded} columns; also in those columns' Spark metadata
     * ({@code encoding}), which Spark keeps in the Parquet footer.
     */
    public static final String ENCODING = "raw-uint8-chw";

    /** Parquet compression codec the writer uses. */
    public static final String COMPRESSION = "zstd";

    public static final String DATASET = "dataset";
    public static final String SOURCE_PATH = "source_path";
    public static final String DEGRADED_PATH = "degraded_path";
    public static final String LABEL = "label";
    public static final String PARAMS = "params";
    public static final String CLEAN = "clean";
    public static final String DEGRADED = "degraded";
    public static final String HEIGHT = "height";
    public static final String WIDTH = "width";
    public static final String SEED = "seed";
    public static final String PATCH_INDEX = "patch_index";
    public static final String X = "x";
    public static final String Y = "y";
    public static final String TRANSFORM = "transform";

    /** Partition column: the degradation id, the folder {@code degradation=<id>/}. */
    public static final String PARTITION = "degradation";

    /** A column's value type. */
    public enum Type {
        STRING,
        INT,
        LONG,
        /** Image bytes, {@link #ENCODING}. */
        IMAGE
    }

    /** One column: name, value type, whether it may hold null. */
    public record Column(String name, Type type, boolean nullable) {}

    /** Every column in order, the partition column last (where Spark puts it when it reads the folder). */
    public static final List<Column> COLUMNS = List.of(
            new Column(DATASET, Type.STRING, false),
            new Column(SOURCE_PATH, Type.STRING, false),
            new Column(DEGRADED_PATH, Type.STRING, true),
            new Column(LABEL, Type.INT, false),
            new Column(PARAMS, Type.STRING, false),
            new Column(CLEAN, Type.IMAGE, false),
            new Column(DEGRADED, Type.IMAGE, false),
            new Column(HEIGHT, Type.INT, false),
            new Column(WIDTH, Type.INT, false),
            new Column(SEED, Type.LONG, false),
            new Column(PATCH_INDEX, Type.INT, false),
            new Column(X, Type.INT, false),
            new Column(Y, Type.INT, false),
            new Column(TRANSFORM, Type.INT, false),
            new Column(PARTITION, Type.STRING, false));

    private PatchSchema() {}

    /** The column names, in order. */
    public static List<String> names() {
        return COLUMNS.stream().map(Column::name).toList();
    }

    /** A record's row values, in {@link #COLUMNS} order. */
    public static Object[] values(PatchRecord r) {
        return new Object[] {
            r.dataset(),
            r.sourcePath(),
            r.degradedPath(),
            r.label(),
            r.params(),
            r.clean(),
            r.degraded(),
            r.height(),
            r.width(),
            r.seed(),
            r.patchIndex(),
            r.x(),
            r.y(),
            r.transform(),
            r.degradation().id()
        };
    }

    /**
     * The record of a row read back by column name (any column order; the partition column may be absent when
     * a single partition folder is read, the label decides).
     */
    public static PatchRecord record(Function<String, Object> column) {
        return new PatchRecord(
                (String) column.apply(DATASET),
                (String) column.apply(SOURCE_PATH),
                (String) column.apply(DEGRADED_PATH),
                Degradation.fromLabel((Integer) column.apply(LABEL)),
                (String) column.apply(PARAMS),
                (byte[]) column.apply(CLEAN),
                (byte[]) column.apply(DEGRADED),
                (Integer) column.apply(HEIGHT),
                (Integer) column.apply(WIDTH),
                (Long) column.apply(SEED),
                (Integer) column.apply(PATCH_INDEX),
                (Integer) column.apply(X),
                (Integer) column.apply(Y),
                (Integer) column.apply(TRANSFORM));
    }

    /**
     * Checks that a folder read as patches has the columns a reader needs.
     *
     * @throws IllegalArgumentException naming the folder and the first missing column
     */
    public static void requireColumns(String uri, Collection<String> present, List<String> needed) {
        for (String column : needed) {
            if (!present.contains(column)) {
                throw new IllegalArgumentException(
                        uri + " is not a patch set of 'daair prepare': column '" + column + "' is missing");
            }
        }
    }
}
