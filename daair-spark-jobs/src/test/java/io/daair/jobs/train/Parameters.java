package io.daair.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compares two parameter vectors that should be the same computation. ND4J's kernels may differ
 * in the last bit between runs (seen when two replicas train concurrently in one JVM, as the
 * workers of local mode do: about 2% of the parameters after two steps); Adam divides by the root
 * of the second moment, so for a parameter whose gradient is near zero such a difference can flip
 * the sign of a step (about the learning rate per step). So: at least 90% of the parameters equal
 * to 1e-6 and none further apart than {@code maxDiff} (two learning rates per step of the run). A wrong average, or a lost, doubled or stale
 * worker, moves nearly every parameter by a step or more and fails the first condition.
 */
final class Parameters {
    private Parameters() {}

    static void assertSameComputation(float[] expected, float[] actual, double maxDiffAllowed) {
        assertEquals(expected.length, actual.length, "parameter count");
        int differing = 0;
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]);
            if (d > 1e-6) {
                differing++;
            }
            maxDiff = Math.max(maxDiff, d);
        }
        assertTrue(
                differing <= expected.length / 10,
                differing + " of " + expected.length + " parameters differ by more than 1e-6 (max " + maxDiff + ")");
        assertTrue(maxDiff < maxDiffAllowed, "max difference " + maxDiff + ", allowed " + maxDiffAllowed);
    }
}
