package io.daair.data.patch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.data.degrade.Degradation;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MinibatchReaderTest {

    private static PatchRecord row(Degradation d, int i) {
        byte[] clean = new byte[3 * 2 * 2];
        byte[] degraded = new byte[3 * 2 * 2];
        clean[0] = (byte) i;
        degraded[0] = (byte) 255;
        return new PatchRecord("t", "/p" + i, null, d, "{}", clean, degraded, 2, 2, i, 0, 0, 0, 0);
    }

    private static List<PatchRecord> rows(Degradation d, int n) {
        List<PatchRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(row(d, i));
        }
        return out;
    }

    @Test
    void sequentialBatchesAreNchwFloatsInOrder() {
        List<PatchRecord> in = rows(Degradation.RAIN, 5);
        MinibatchReader r = MinibatchReader.sequential(in.iterator(), 2, false);
        Minibatch b = r.next();
        assertArrayEquals(new long[] {2, 3, 2, 2}, b.shape());
        assertEquals(0f, b.clean()[0]);
        assertEquals(1 / 255f, b.clean()[12]); // second patch starts at 3*2*2
        assertEquals(1f, b.degraded()[12]);
        assertArrayEquals(new int[] {1, 1}, b.labels());
        r.next();
        assertEquals(1, r.next().size()); // last partial batch
        assertFalse(r.hasNext());
        assertEquals(2, count(MinibatchReader.sequential(in.iterator(), 2, true)));
    }

    @Test
    void everyBatchHoldsEveryDegradationInProtocolProportion() {
        // the paper's mix: rough per-epoch sizes noise 46296, rain 24000, haze 8970, blur 10515, low light 9700
        Map<Degradation, Long> counts = new EnumMap<>(Degradation.class);
        counts.put(Degradation.NOISE, 46296L);
        counts.put(Degradation.RAIN, 24000L);
        counts.put(Degradation.HAZE, 8970L);
        counts.put(Degradation.BLUR, 10515L);
        counts.put(Degradation.LOW_LIGHT, 9700L);
        Map<Degradation, Double> p = MinibatchReader.proportions(counts);
        Map<Degradation, Iterator<PatchRecord>> streams = new EnumMap<>(Degradation.class);
        for (Degradation d : Degradation.values()) {
            streams.put(d, rows(d, 2000).iterator());
        }
        MinibatchReader r = MinibatchReader.stratified(streams, p, 32);
        int[] total = new int[5];
        int batches = 0;
        while (r.hasNext()) {
            Minibatch b = r.next();
            int[] n = new int[5];
            for (int l : b.labels()) {
                n[l]++;
            }
            for (int l = 0; l < 5; l++) {
                assertTrue(n[l] >= 1, "batch " + batches + " lacks label " + l);
                total[l] += n[l];
                double expected = p.get(Degradation.fromLabel(l)) * 32 * (batches + 1);
                assertEquals(expected, total[l], 1.0, "running count of label " + l);
            }
            batches++;
        }
        // noise (46296 / 99481 = 0.46538 of the slots) runs out first: floor(2000 / (32 * 0.46538)) = 134 batches
        assertEquals(134, batches);
        assertEquals(5 * 2000 - 134 * 32, r.dropped());
    }

    @Test
    void mixedStreamIsBufferedButAnUnmixedOneIsRefused() {
        List<PatchRecord> mixed = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            mixed.add(row(Degradation.fromLabel(i % 3), i));
        }
        Map<Degradation, Double> p = Map.of(Degradation.NOISE, 1.0, Degradation.RAIN, 1.0, Degradation.HAZE, 1.0);
        MinibatchReader r = MinibatchReader.stratified(mixed.iterator(), p, 6, 64);
        assertEquals(50, count(r));

        List<PatchRecord> sorted = new ArrayList<>(rows(Degradation.NOISE, 200));
        sorted.addAll(rows(Degradation.RAIN, 200));
        sorted.addAll(rows(Degradation.HAZE, 200));
        MinibatchReader bad = MinibatchReader.stratified(sorted.iterator(), p, 6, 64);
        IllegalStateException e = assertThrows(IllegalStateException.class, bad::next);
        assertTrue(e.getMessage().contains("not mixed"), e.getMessage());
    }

    private static int count(Iterator<?> it) {
        int n = 0;
        while (it.hasNext()) {
            it.next();
            n++;
        }
        return n;
    }
}
