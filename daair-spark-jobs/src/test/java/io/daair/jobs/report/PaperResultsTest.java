package io.daair.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PaperResultsTest {

    @Test
    void publishedAveragesAreTheMeansOfTheirColumns() {
        // guards the transcription: each published average is the mean of its row, to the paper's rounding
        for (PaperResults.Row row : PaperResults.rows()) {
            double psnr = row.scores().values().stream()
                    .mapToDouble(Score::psnr)
                    .average()
                    .orElseThrow();
            double ssim = row.scores().values().stream()
                    .mapToDouble(Score::ssim)
                    .average()
                    .orElseThrow();
            assertEquals(row.average().psnr(), psnr, 0.01, row.setting());
            assertEquals(row.average().ssim(), ssim, 0.001, row.setting());
            assertEquals(5, row.scores().size());
        }
    }

    @Test
    void benchmarkIdsAreMatchedLeniently() {
        assertEquals(Optional.of("bsd68-s25"), PaperResults.paperId("BSD68_s25"));
        assertEquals(Optional.of("bsd68-s50"), PaperResults.paperId("cbsd68-s50"));
        assertEquals(Optional.of("sots-outdoor"), PaperResults.paperId("SOTS"));
        assertEquals(Optional.of("lol-v1"), PaperResults.paperId("lol"));
        assertEquals(Optional.empty(), PaperResults.paperId("urban100-s25"));
        assertEquals("BSD68 σ15", PaperResults.heading("bsd68-s15"));
        assertEquals("my-photos", PaperResults.heading("my-photos"));
    }

    @Test
    void syntheticBenchmarksStandInForThePaperBenchmarkOfTheirDegradation() {
        assertEquals(Optional.of("sots-outdoor"), PaperResults.standIn("haze"));
        assertEquals(Optional.of("rain100l"), PaperResults.standIn("rain"));
        assertEquals(Optional.of("bsd68-s25"), PaperResults.standIn("noise-s25"));
        assertEquals(Optional.of("gopro"), PaperResults.standIn("blur"));
        assertEquals(Optional.of("lol-v1"), PaperResults.standIn("lowlight"));
        assertEquals(Optional.empty(), PaperResults.standIn("sots-outdoor"), "the real benchmark is no stand-in");
        assertEquals(Optional.empty(), PaperResults.standIn("my-photos"));
    }
}
