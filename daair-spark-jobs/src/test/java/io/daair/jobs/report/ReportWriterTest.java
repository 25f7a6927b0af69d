package io.daair.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.jobs.train.RoundMetrics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.core.json.JsonWriteFeature;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

class ReportWriterTest {

    private static final Pattern EMBEDDED_PNG = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");

    @TempDir
    static java.nio.file.Path dir;

    static EvaluationReport report;
    static String html;
    static String markdown;
    static String json;

    @BeforeAll
    static void writeReport() throws IOException {
        List<ImageResult> results = SyntheticEvaluation.results();
        report = EvaluationReport.of(
                "runs/demo/model.safetensors", SyntheticEvaluation.EXPERTS, results, SyntheticEvaluation.training());
        Path written = ReportWriter.write(
                report,
                SyntheticEvaluation.gallery(results),
                new Path(dir.resolve("report").toUri()),
                new Configuration());
        assertEquals(
                dir.resolve("report/report.html").toUri().getPath(),
                written.toUri().getPath());
        html = Files.readString(dir.resolve("report/report.html"));
        markdown = Files.readString(dir.resolve("report/report.md"));
        json = Files.readString(dir.resolve("report/report.json"));
    }

    @Test
    void writesExactlyTheThreeFiles() throws IOException {
        try (Stream<java.nio.file.Path> files = Files.list(dir.resolve("report"))) {
            assertEquals(
                    List.of("report.html", "report.json", "report.md"),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void paperStyleTableHasOurMeansAndAverageInPaperColumnOrder() {
        String ours = row(html, "ours");
        // columns in the paper's order (SOTS, Rain100L, BSD68 s25), then the user's own benchmark
        assertEquals(List.of("30.50/.970", "36.00/.960", "31.00/.850", "28.50/.900", "31.50/.920"), cells(ours));
        assertEquals(31.50, SyntheticEvaluation.AVERAGE_PSNR, 1e-12);
        assertEquals(0.92, SyntheticEvaluation.AVERAGE_SSIM, 1e-12);
        assertTrue(html.indexOf("<th>SOTS</th>") < html.indexOf("<th>Rain100L</th>"));
        assertTrue(html.indexOf("<th>Rain100L</th>") < html.indexOf("<th>BSD68 σ25</th>"));
    }

    @Test
    void paperRowsArePrintedBesideOurs() {
        List<String> three = cells(row(html, "paper"));
        assertEquals(List.of("32.30/.981", "37.10/.978", "31.26/.884", "–", "32.51/.913"), three);
        assertTrue(html.contains("<td>31.97/.980</td><td>36.28/.975</td><td>31.07/.878</td><td>–</td>"
                + "<td class=\"avg\">30.24/.910</td>"));
        assertTrue(html.contains("Not evaluated here: BSD68 σ15 33.92/.930 (three degradations)"));
        assertTrue(markdown.contains("| **Ours: model.safetensors** | 30.50/.970 | 36.00/.960 |"
                + " 31.00/.850 | 28.50/.900 | 31.50/.920 |"));
        assertTrue(markdown.contains("| DaAIR, paper (three degradations, Table 1) | 32.30/.981 | 37.10/.978 |"));
    }

    @Test
    void perBenchmarkFiguresAndRouting() {
        assertTrue(html.contains("<tr><td>rain100l</td><td>2</td><td>26.00</td><td>0.800</td><td><b>36.00</b></td>"
                + "<td><b>0.960</b></td><td class=\"pos\">+10.00</td><td>50.0%</td><td>120</td></tr>"));
        assertTrue(markdown.contains("| bsd68-s25 | 3 | 20.20 | 0.400 | 31.00 | 0.850 | +10.80 | 100.0% | 120 |"));
        // 7 of 8 images routed to the expert of their degradation; rain -> haze once
        assertTrue(html.contains("<b>87.5%</b> of 8 images"));
        assertTrue(markdown.contains("| rain | 0 | 1 | 1 |"));
    }

    @Test
    void chartsAndGalleryAreEmbeddedAsDecodablePngs() throws IOException {
        List<BufferedImage> images = new ArrayList<>();
        Matcher m = EMBEDDED_PNG.matcher(html);
        while (m.find()) {
            images.add(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1)))));
        }
        int picks = Gallery.select(report.images()).size(); // 3 + 2 + 1 + 2
        assertEquals(8, picks);
        // 4 distributions + 1 heat map + 4 training curves + 3 per triptych
        assertEquals(4 + 1 + 4 + 3 * picks, images.size());
        images.forEach(i -> assertNotNull(i));
        assertEquals(2 * Charts.WIDTH, images.get(0).getWidth());
        // gallery section: degraded, restored, clean of each pick; small images are not enlarged
        BufferedImage firstThumbnail = images.get(4 + 1);
        assertEquals(24, firstThumbnail.getWidth());
        assertEquals(16, firstThumbnail.getHeight());
        assertTrue(html.contains("<span class=\"rank worst\">worst</span><b>rain-1.png</b>"));
        assertTrue(html.contains("rain routed to <span class=\"neg\">haze</span> (90.0%)"), "misrouting marked");
    }

    @Test
    void needsNoNetworkAndEscapesNames() {
        assertFalse(Pattern.compile("(src|href)=\"(?!data:)").matcher(html).find(), "external resource in HTML");
        assertFalse(html.contains("<link") || html.contains("<script") || html.contains("@import"));
        assertTrue(html.contains("a&lt;b&gt;.png"));
        assertFalse(html.contains("a<b>.png"));
    }

    @Test
    void jsonReadsBackToTheSameReport() throws IOException {
        EvaluationReport back = ReportJson.read(json, "report.json");
        assertEquals(report, back);
        JsonNode tree = Json.MAPPER.readTree(json);
        JsonNode bsd = tree.get("benchmarks").get(0);
        assertEquals("bsd68-s25", bsd.get("benchmark").asText());
        assertEquals(31.0, bsd.get("psnr").asDouble(), 1e-12);
        assertEquals(0.85, bsd.get("ssim").asDouble(), 1e-12);
        assertEquals(
                SyntheticEvaluation.AVERAGE_PSNR,
                tree.get("average").get("psnr").asDouble(),
                1e-12);
        assertEquals(0.875, tree.get("routing").get("accuracy").asDouble(), 1e-12);
        assertEquals(8, tree.get("images").size());
        assertEquals(32.51, tree.get("paper").get(0).get("average").get("psnr").asDouble(), 1e-12);
        assertEquals(0.6, tree.get("training").get(2).get("router_accuracy").asDouble(), 1e-12);
    }

    @Test
    void aReportJsonFromBeforeKeepsItsTrainingCurves() throws IOException {
        // report.json used to hold six figures per round, and NaN bare
        ObjectNode tree = (ObjectNode) Json.MAPPER.readTree(json);
        ArrayNode older = tree.putArray("training");
        older.addObject()
                .put("round", 1)
                .put("step", 5)
                .put("loss", 0.2)
                .put("aux_loss", 1.6)
                .put("router_accuracy", Double.NaN)
                .put("samples_per_sec", 3.5);
        String text = Json.MAPPER
                .writer()
                .with(JsonWriteFeature.WRITE_NAN_AS_STRINGS.mappedFeature())
                .writeValueAsString(tree);
        text = text.replace("\"NaN\"", "NaN");
        double nan = Double.NaN;
        assertEquals(
                List.of(new RoundMetrics(1, 5, 0.2, 1.6, nan, 3.5, nan, nan, nan, 0, 0)),
                ReportJson.read(text, "report.json").training());
    }

    @Test
    void nonFiniteFiguresSurviveTheJsonRoundTrip() {
        List<ImageResult> results = new ArrayList<>(SyntheticEvaluation.results());
        results.add(
                new ImageResult("bsd68-s25", "same.png", "noise", "noise", 1, 20, 0.5, Double.POSITIVE_INFINITY, 1, 3));
        EvaluationReport withInfinity = EvaluationReport.of("m", SyntheticEvaluation.EXPERTS, results, List.of());
        EvaluationReport back = ReportJson.read(ReportJson.write(withInfinity), "test");
        assertEquals(Double.POSITIVE_INFINITY, back.images().get(8).outputPsnr());
        assertEquals(withInfinity, back);
    }

    @Test
    void aSingleImageWithAnInfinitePsnrAndOneTrainingRoundStillRenders() {
        ImageResult same =
                new ImageResult("lol", "1.png", "lowlight", "noise", 0.4, 9, 0.2, Double.POSITIVE_INFINITY, 1, 5);
        EvaluationReport one = EvaluationReport.of(
                "m",
                SyntheticEvaluation.EXPERTS,
                List.of(same),
                SyntheticEvaluation.training().subList(0, 1));
        String page = HtmlReport.render(one, List.of());
        assertTrue(page.contains("<th>LOL</th>"));
        assertTrue(page.contains("<td class=\"avg\">∞/1.000</td>"), "infinite PSNR shown as such");
        assertTrue(page.contains("No images were kept for the gallery."));
        assertTrue(MarkdownReport.render(one).contains("| lowlight | 1 | 0 | 0 |"));
    }

    @Test
    void aGalleryWhoseRestorationsAllLostPsnrShowsNoBestBadge() {
        List<ImageResult> lost = List.of(
                new ImageResult("gopro", "a.png", "blur", "blur", 0.9, 25, 0.8, 24, 0.7, 5),
                new ImageResult("gopro", "b.png", "blur", "rain", 0.6, 26, 0.8, 23, 0.7, 5));
        EvaluationReport r =
                EvaluationReport.of("m", List.of("noise", "rain", "haze", "blur", "lowlight"), lost, List.of());
        String page = HtmlReport.render(r, SyntheticEvaluation.gallery(lost));
        assertFalse(page.contains("rank best"), "a restoration that lost 1 dB badged best");
        assertTrue(page.contains("<span class=\"rank least-loss\">least loss</span><b>a.png</b>"));
    }

    @Test
    void syntheticBenchmarksStandInForThePapersColumnsAndTheModelIsShownByName() {
        // what `evaluate --benchmark synthetic=DIR` gives: one benchmark per degradation, on the user's photos
        List<ImageResult> synthetic = List.of(
                new ImageResult("noise-s25", "a.png", "noise", "noise", 0.9, 20, 0.4, 25, 0.6, 5),
                new ImageResult("rain", "a.png", "rain", "rain", 0.9, 17, 0.5, 18, 0.6, 5),
                new ImageResult("haze", "a.png", "haze", "haze", 0.9, 12, 0.5, 15, 0.6, 5),
                new ImageResult("blur", "a.png", "blur", "blur", 0.9, 23, 0.6, 24, 0.7, 5),
                new ImageResult("lowlight", "a.png", "lowlight", "lowlight", 0.9, 8, 0.2, 16, 0.5, 5));
        EvaluationReport r = EvaluationReport.of(
                "file:/tmp/daair-demo/run/model.safetensors",
                List.of("noise", "rain", "haze", "blur", "lowlight"),
                synthetic,
                List.of());
        String page = HtmlReport.render(r, List.of());
        String md = MarkdownReport.render(r);
        // in the paper's column order, each marked as a stand-in for the paper's benchmark of its degradation
        assertTrue(page.contains("<th>haze*</th><th>rain*</th><th>noise-s25*</th><th>blur*</th><th>lowlight*</th>"));
        assertEquals(
                List.of("32.30/.981", "37.10/.978", "31.26/.884", "–", "–", "32.51/.913"), cells(row(page, "paper")));
        assertTrue(page.contains("<td>31.97/.980</td><td>36.28/.975</td><td>31.07/.878</td><td>29.51/.890</td>"
                + "<td>22.38/.825</td><td class=\"avg\">30.24/.910</td>"));
        assertEquals(
                List.of("15.00/.600", "18.00/.600", "25.00/.600", "24.00/.700", "16.00/.500", "19.60/.600"),
                cells(row(page, "ours")));
        assertTrue(page.contains("* Synthetic stand-ins: haze for SOTS, rain for Rain100L, noise-s25 for BSD68 σ25,"
                + " blur for GoPro, lowlight for LOL."));
        assertTrue(md.contains("| **Ours: model.safetensors** | 15.00/.600 |"));
        assertTrue(md.contains("| DaAIR, paper (five degradations, Table 2) | 31.97/.980 | 36.28/.975 |"));
        assertTrue(md.contains("* Synthetic stand-ins: haze for SOTS"));
        assertTrue(page.contains("<td>Ours: model.safetensors</td>"));
        assertFalse(page.contains("Not evaluated here: SOTS"), "SOTS is shown in the haze column");
        assertTrue(page.contains("Not evaluated here: BSD68 σ15 33.92/.930 (three degradations); BSD68 σ50"));
    }

    /** The cells of the first table row of the given kind, without the label. */
    private static List<String> cells(String row) {
        List<String> cells = new ArrayList<>();
        Matcher m = Pattern.compile("<td[^>]*>([^<]*)</td>").matcher(row);
        while (m.find()) {
            cells.add(m.group(1));
        }
        return cells.subList(1, cells.size());
    }

    private static String row(String page, String kind) {
        int start = page.indexOf("<tr class=\"" + kind + "\">");
        assertTrue(start >= 0, "no " + kind + " row");
        return page.substring(start, page.indexOf("</tr>", start));
    }
}
