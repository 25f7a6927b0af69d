package io.daair.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compares two parameter vectors that should be the same computation. Multithreaded kernels may
 * differ in the last bit between runs; Adam divides by the root of the second moment, so for a
 * parameter whose gradient is near zero such a difference can flip the sign of a step (at most
 * about the learning rate per step). So: nearly all parameters equal to float rounding, and none
 * further apart than a few steps. A wrong averaging or a lost or doubled worker moves almost every
 * parameter and fails the first condition.
 */
final class Parameters {
    private Parameters() {}

    static void assertSameComputation(float[] expected, float[] actual) {
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
                differing <= expected.length / 1000,
                differing + " of " + expected.length + " parameters differ by more than 1e-6 (max " + maxDiff + ")");
        assertTrue(maxDiff < 1e-3, "max difference " + maxDiff);
    }
}
