package io.daair.nn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.nn.config.BadNetInputException;
import io.daair.nn.config.NetConfig;
import org.junit.jupiter.api.Test;

class SoakBenchTest {

    @Test
    void reportsResidentMemoryAtTheCheckStepAndAtTheEnd() {
        SoakBench.Result r = SoakBench.run(NetConfig.preset("tiny", 5), "tiny", 2, 16, 4);
        assertEquals(2, r.checkStep(), "half the steps when there are fewer than 60");
        assertTrue(r.peakRssAtCheckBytes() > 100_000_000L, "a JVM with ND4J holds more than 100 MB: " + r);
        assertTrue(r.peakRssAtEndBytes() >= r.peakRssAtCheckBytes(), "a peak never falls: " + r);
        assertTrue(r.rssAtEndBytes() > 0 && r.rssAtEndBytes() <= r.peakRssAtEndBytes(), r.toString());
        assertTrue(r.gcCount() >= 0 && r.gcSeconds() >= 0 && r.medianStepSeconds() > 0, r.toString());
        assertTrue(r.line().startsWith("soak tiny: 4 steps, batch 2, 16x16: peak RSS "), r.line());
        assertTrue(r.line().contains(" after step 2, "), r.line());
    }

    @Test
    void needsTwoStepsAndACropOfTheNetworksMultiple() {
        assertThrows(BadNetInputException.class, () -> SoakBench.run(NetConfig.preset("tiny", 5), "tiny", 2, 16, 1));
        assertThrows(BadNetInputException.class, () -> SoakBench.run(NetConfig.preset("tiny", 5), "tiny", 2, 12, 4));
    }
}
