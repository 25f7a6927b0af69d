package io.daair.jobs.prepare;

import io.daair.data.degrade.Degradation;
import java.util.List;
import java.util.Map;

/**
 * What {@code daair prepare} wrote.
 *
 * @param output the Parquet folder
 * @param samples samples after mixing (images x degradations x repeats)
 * @param failed samples that could not be read or cut (their patches are missing)
 * @param failures a few failures ({@link PrepareJob#EXAMPLE_FAILURES}, one per file), each "file: reason"
 * @param failuresFile the list of every failed sample ({@code _failures.tsv}: path, sample, reason)
 * @param patches patch rows written
 * @param patchesPerDegradation patch rows per degradation
 * @param bytesOnDisk size of the output folder
 * @param seconds wall time of the job
 */
public record PrepareResult(
        String output,
        long samples,
        long failed,
        List<String> failures,
        String failuresFile,
        long patches,
        Map<Degradation, Long> patchesPerDegradation,
        long bytesOnDisk,
        double seconds) {

    /** Patches written per second of wall time. */
    public double patchesPerSecond() {
        return seconds > 0 ? patches / seconds : 0;
    }

    /** Bytes on disk per patch row (clean and degraded patch together, with metadata). */
    public double bytesPerPatch() {
        return patches > 0 ? (double) bytesOnDisk / patches : 0;
    }

    /** One line for a user. */
    public String summary() {
        return String.format(
                "prepared %d patches from %d samples (%d failed) in %.1f s (%.1f patches/s), %.0f bytes/patch on disk,"
                        + " %s: %s",
                patches, samples, failed, seconds, patchesPerSecond(), bytesPerPatch(), patchesPerDegradation, output);
    }
}
