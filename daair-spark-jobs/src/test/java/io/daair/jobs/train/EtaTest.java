package io.daair.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The ETA of a training run: the first round's start-up cost is no pace to extrapolate. */
class EtaTest {

    @Test
    void afterTheFirstRoundItPromisesNothing() {
        // a 10-round run whose first round took 180 s, 170 of them start-up (session, broadcast, JIT)
        assertEquals("after round 2", Eta.text(1, 180.0, 9));
    }

    @Test
    void laterRoundsUseTheLastRoundsPaceNotTheStartUp() {
        // 190 s for two rounds, the second took 10 s: 8 more rounds take 80 s, not 8 x 95 s
        assertEquals("1m20s", Eta.text(2, 10.0, 8));
    }

    @Test
    void theLastRoundLeavesNothing() {
        assertEquals("0m00s", Eta.text(5, 10.0, 0));
    }
}
