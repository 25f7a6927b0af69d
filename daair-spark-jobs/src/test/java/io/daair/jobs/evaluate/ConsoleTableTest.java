package io.daair.jobs.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.jobs.report.EvaluationReport;
import io.daair.jobs.report.ImageResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleTableTest {

    private static String print(List<ImageResult> results) {
        EvaluationReport report =
                EvaluationReport.of("m", List.of("noise", "rain", "haze", "blur", "lowlight"), results, List.of());
        StringWriter text = new StringWriter();
        ConsoleTable.print(report, new PrintWriter(text, true));
        return text.toString();
    }

    private static List<String> line(String table, String label) {
        return table.lines()
                .filter(l -> l.startsWith(label))
                .findFirst()
                .map(l -> List.of(l.substring(label.length()).trim().split("\\s+")))
                .orElseThrow(() -> new AssertionError("no line " + label + " in\n" + table));
    }

    @Test
    void syntheticBenchmarksShowThePapersFiguresOfTheBenchmarkTheyStandInFor() {
        String table = print(List.of(
                new ImageResult("noise-s25", "a.png", "noise", "noise", 0.9, 20, 0.4, 25, 0.6, 5),
                new ImageResult("rain", "a.png", "rain", "rain", 0.9, 17, 0.5, 18, 0.6, 5),
                new ImageResult("haze", "a.png", "haze", "haze", 0.9, 12, 0.5, 15, 0.6, 5),
                new ImageResult("blur", "a.png", "blur", "blur", 0.9, 23, 0.6, 24, 0.7, 5),
                new ImageResult("lowlight", "a.png", "lowlight", "lowlight", 0.9, 8, 0.2, 16, 0.5, 5)));
        assertEquals(
                List.of("haze*", "rain*", "noise-s25*", "blur*", "lowlight*", "average"), line(table, "PSNR/SSIM"));
        assertEquals(
                List.of("31.97/0.980", "36.28/0.975", "31.07/0.878", "29.51/0.890", "22.38/0.825", "30.24/0.910"),
                line(table, "DaAIR paper (five degradations)"));
        assertEquals(
                List.of("32.30/0.981", "37.10/0.978", "31.26/0.884", "-", "-", "32.51/0.913"),
                line(table, "DaAIR paper (three degradations)"));
        assertEquals(
                List.of("15.00/0.600", "18.00/0.600", "25.00/0.600", "24.00/0.700", "16.00/0.500", "19.60/0.600"),
                line(table, "ours"));
        assertTrue(
                table.contains("* synthetic stand-ins on your photos (haze for SOTS, rain for Rain100L, noise-s25 for"
                        + " BSD68 σ25, blur for GoPro, lowlight for LOL)"),
                table);
    }

    @Test
    void thePapersOwnBenchmarksAreNotMarked() {
        String table =
                print(List.of(new ImageResult("bsd68-s25", "t.png", "noise", "noise", 0.9, 20, 0.4, 30, 0.8, 5)));
        assertEquals(List.of("BSD68", "σ25", "average"), line(table, "PSNR/SSIM"));
        assertEquals(List.of("31.07/0.878", "30.24/0.910"), line(table, "DaAIR paper (five degradations)"));
        assertTrue(!table.contains("stand-in"), table);
    }
}
