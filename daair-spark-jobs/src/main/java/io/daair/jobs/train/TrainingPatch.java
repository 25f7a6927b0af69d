package io.daair.jobs.train;

import java.io.Serializable;

/**
 * One training pair as a worker caches it: 8-bit CHW planes (a quarter of the float size), the
 * degradation label. Decoded from the Parquet rows of {@code daair prepare}.
 */
public record TrainingPatch(int label, int height, int width, byte[] clean, byte[] degraded) implements Serializable {

    /** Writes this pair as sample {@code index} of NCHW float minibatch arrays in [0, 1]. */
    void writeInto(float[] degradedBatch, float[] cleanBatch, int index) {
        int size = 3 * height * width;
        int offset = index * size;
        for (int i = 0; i < size; i++) {
            cleanBatch[offset + i] = (clean[i] & 0xFF) / 255f;
            degradedBatch[offset + i] = (degraded[i] & 0xFF) / 255f;
        }
    }
}
