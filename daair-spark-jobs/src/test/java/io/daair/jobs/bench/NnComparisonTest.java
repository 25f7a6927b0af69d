package io.daair.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.nn.bench.NnBench;
import io.daair.nn.bench.SoakBench;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** The side-by-side table of {@code daair bench nn --vs-pytorch}: reading both sides' lines, the ratios. */
class NnComparisonTest {

    // a line as tools/reference/bench_ref.py prints it (json.dumps of its dict)
    private static final String PYTORCH_LINE = "{\"preset\": \"tiny\", \"batch\": 8, \"crop\": 128,"
            + " \"trainStepSeconds\": 0.25, \"trainStepCpuSeconds\": 0.5, \"inferenceSize\": 256,"
            + " \"inferenceSeconds\": 0.1, \"inferenceCpuSeconds\": 0.2, \"peakRssBytes\": 500000000}";

    private static final NnBench.Result DAAIR =
            new NnBench.Result("tiny", 8, 128, 2.0, 3.0, 256, 0.5, 0.9, 2_000_000_000L);

    @Test
    void readsThePythonLineIntoTheJavaRecord() {
        NnBench.Result r = NnBenchLine.parse(PYTORCH_LINE, "PyTorch");
        assertEquals(new NnBench.Result("tiny", 8, 128, 0.25, 0.5, 256, 0.1, 0.2, 500_000_000L), r);
    }

    @Test
    void theJavaLineRoundTrips() {
        NnBench.Result r = new NnBench.Result("paper", 8, 128, 80.61234567, 123.8, 256, 6.8, 13.1, 18_400_000_000L);
        assertEquals(r, NnBenchLine.parse(NnBench.json(r), "daair"));
    }

    @Test
    void aSoakLineRoundTrips() throws Exception {
        SoakBench.Result r = new SoakBench.Result(
                "tiny", 8, 128, 300, 30, 2_000_000_000L, 2_100_000_000L, 2_050_000_000L, 12, 0.4, 2.2);
        String line = new ObjectMapper().writeValueAsString(r);
        assertEquals(r, NnBenchLine.parse(line, SoakBench.Result.class, "the tiny soak"));
        assertEquals(0.05, r.peakGrowth(), 1e-12);
    }

    @Test
    void aLineWithoutAFieldIsRejectedNamingTheSideAndTheField() {
        String line = PYTORCH_LINE.replace("\"peakRssBytes\": 500000000", "\"peakRss\": 5");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> NnBenchLine.parse(line, "PyTorch"));
        assertTrue(e.getMessage().contains("PyTorch"), e.getMessage());
        assertTrue(e.getMessage().contains("peakRssBytes"), e.getMessage());
    }

    @Test
    void notJsonIsRejectedQuotingTheLine() {
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> NnBenchLine.parse("Traceback (most", "PyTorch"));
        assertTrue(e.getMessage().contains("Traceback (most"), e.getMessage());
    }

    @Test
    void tableShowsBothSidesAndDaairOverPytorch() {
        NnBench.Result pytorch = NnBenchLine.parse(PYTORCH_LINE, "PyTorch");
        List<String> table = NnComparison.table(List.of(new NnComparison.Row(DAAIR, pytorch)));
        assertEquals(3, table.size(), String.join("\n", table));
        assertEquals(
                "| preset | train step s (daair / PyTorch / ratio) | train step CPU s | peak RSS GB"
                        + " | inference s | inference CPU s |",
                table.get(0));
        assertEquals("|---|---|---|---|---|---|", table.get(1));
        // by hand: 2/0.25 = 8, 3/0.5 = 6, 2e9/5e8 = 4, 0.5/0.1 = 5, 0.9/0.2 = 4.5
        assertEquals(
                "| tiny | 2.00 / 0.250 / 8.00x | 3.00 / 0.500 / 6.00x | 2.00 / 0.500 / 4.00x"
                        + " | 0.500 / 0.100 / 5.00x | 0.900 / 0.200 / 4.50x |",
                table.get(2));
    }

    @Test
    void anUnknownPeakRssHasNoRatio() {
        NnBench.Result noProc = new NnBench.Result("tiny", 8, 128, 0.25, 0.5, 256, 0.1, 0.2, -1);
        String row =
                NnComparison.table(List.of(new NnComparison.Row(DAAIR, noProc))).get(2);
        assertTrue(row.contains("| 2.00 / n/a / n/a |"), row);
    }

    @Test
    void rowsOfDifferentShapesAreRefused() {
        NnBench.Result otherCrop = new NnBench.Result("tiny", 8, 64, 0.25, 0.5, 256, 0.1, 0.2, 1);
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> new NnComparison.Row(DAAIR, otherCrop));
        assertTrue(e.getMessage().contains("crop=64"), e.getMessage());
    }

    @Test
    void roundsAreCombinedFigureByFigureIntoTheirMedians() {
        List<NnBench.Result> rounds = List.of(
                new NnBench.Result("tiny", 8, 128, 0.9, 1.0, 256, 0.30, 0.2, 3_000),
                new NnBench.Result("tiny", 8, 128, 0.7, 3.0, 256, 0.10, 0.6, 1_000),
                new NnBench.Result("tiny", 8, 128, 0.8, 2.0, 256, 0.20, 0.4, 2_000));
        // each figure on its own: the slow round of one figure is not the slow round of another
        assertEquals(new NnBench.Result("tiny", 8, 128, 0.8, 2.0, 256, 0.20, 0.4, 2_000), NnComparison.median(rounds));
        assertEquals(rounds.get(1), NnComparison.median(List.of(rounds.get(1))));
    }

    @Test
    void roundsOfDifferentShapesAreRefused() {
        List<NnBench.Result> rounds = List.of(DAAIR, new NnBench.Result("tiny", 8, 64, 0.25, 0.5, 256, 0.1, 0.2, 1));
        assertThrows(IllegalStateException.class, () -> NnComparison.median(rounds));
    }
}
