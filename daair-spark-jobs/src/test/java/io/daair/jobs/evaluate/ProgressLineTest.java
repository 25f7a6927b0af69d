package io.daair.jobs.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The line evaluate prints while it runs. */
class ProgressLineTest {

    @Test
    void showsImagesDoneOfAllAndMegapixelsPerSecond() {
        // 24 images of 481x321 in 120 s: 3,705,624 pixels / 120 s = 0.031 MP/s
        assertEquals(
                "evaluate: 24/1,068 images done, 0.031 MP/s",
                EvaluateJob.progressLine(24, 1_068, 24L * 481 * 321, 120));
    }

    @Test
    void withoutATotalWhenParquetPatchesAreCountedByTheTasks() {
        assertEquals("evaluate: 5 images done, 0.000 MP/s", EvaluateJob.progressLine(5, -1, 0, 0));
    }
}
