package io.daair.data.patch;

import java.util.List;

/**
 * The Parquet layout of a prepared patch dataset (written by {@code daair prepare}, read by training).
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

    /** Partition column. */
    public static final String PARTITION = "degradation";

    /** Data columns, in order (the partition column comes last when Spark reads the folder). */
    public static final List<String> COLUMNS = List.of(
            "dataset",
            "source_path",
            "degraded_path",
            "label",
            "params",
            "clean",
            "degraded",
            "height",
            "width",
            "seed",
            "patch_index",
            "x",
            "y",
            "transform");

    private PatchSchema() {}
}
