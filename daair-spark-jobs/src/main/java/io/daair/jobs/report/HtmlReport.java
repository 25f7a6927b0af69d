package io.daair.jobs.report;

import io.daair.jobs.train.RoundMetrics;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * {@code report.html}: one self-contained page (inline CSS, charts and images embedded as base64 PNG, no
 * script, nothing fetched from the network) that a person reads to judge a model: the paper-style table,
 * per-benchmark figures and distributions, the routing heat map, a gallery and the training curves.
 */
final class HtmlReport {

    private static final String CSS =
            """
            *{box-sizing:border-box}
            body{margin:0;background:#f4f6f9;color:#1c2230;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
            main{max-width:1180px;margin:0 auto;padding:28px 28px 40px}
            h1{font-size:26px;margin:0 0 4px}
            h2{font-size:18px;margin:0 0 12px}
            h3{font-size:15px;margin:18px 0 8px;color:#33415c}
            .meta{color:#5b6577;margin:0}
            .cards{display:grid;grid-template-columns:repeat(5,1fr);gap:12px;margin:18px 0 6px}
            .card{background:#fff;border:1px solid #e1e5ec;border-radius:8px;padding:12px 14px}
            .card .v{font-size:22px;font-weight:650}
            .card .k{font-size:11.5px;color:#5b6577;text-transform:uppercase;letter-spacing:.05em}
            section{background:#fff;border:1px solid #e1e5ec;border-radius:8px;padding:18px 20px;margin:16px 0}
            .scroll{overflow-x:auto}
            table{border-collapse:collapse;width:100%;font-size:13.5px;font-variant-numeric:tabular-nums}
            th,td{padding:6px 9px;border-bottom:1px solid #edf0f4;text-align:right;white-space:nowrap}
            th:first-child,td:first-child{text-align:left}
            #paper td:first-child{white-space:normal;min-width:170px}
            thead th{background:#f0f3f8;font-weight:600;color:#33415c}
            tr.paper td{color:#4a5670}
            tr.input td{color:#7a8496;font-style:italic}
            tr.ours td{font-weight:650;background:#eaf2ff}
            td.avg,th.avg{border-left:2px solid #d5dbe6}
            .pos{color:#137333}.neg{color:#b3261e}
            .note{font-size:12.5px;color:#5b6577;margin:10px 0 0}
            .grid{display:grid;grid-template-columns:1fr 1fr;gap:14px}
            img.chart{width:100%;height:auto;border:1px solid #edf0f4;border-radius:6px}
            figure{margin:0 0 18px}
            .trip{display:grid;grid-template-columns:repeat(3,1fr);gap:8px;max-width:940px}
            .trip div{text-align:center;font-size:12px;color:#5b6577}
            .trip img{width:100%;height:auto;border-radius:4px;display:block;margin-bottom:3px;background:#eee}
            figcaption{font-size:13px;margin:4px 0 0}
            .rank{display:inline-block;min-width:58px;padding:1px 8px;border-radius:10px;font-size:11.5px;font-weight:650;text-transform:uppercase;text-align:center;margin-right:6px}
            .best{background:#dff3e6;color:#137333}.median{background:#e8eefb;color:#2f5fb3}.worst{background:#fbe4e2;color:#b3261e}
            .least-loss{background:#f1f3f4;color:#b3261e}
            details summary{cursor:pointer;color:#2f5fb3}
            footer{font-size:12px;color:#6b7588;margin-top:22px}
            code{font-size:12px}
            """;

    private final EvaluationReport report;
    private final List<Triptych> gallery;
    private final StringBuilder html = new StringBuilder(1 << 16);

    private HtmlReport(EvaluationReport report, List<Triptych> gallery) {
        this.report = report;
        this.gallery = gallery;
    }

    static String render(EvaluationReport report, List<Triptych> gallery) {
        return new HtmlReport(report, gallery).page();
    }

    private String page() {
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>DaAIR evaluation: ")
                .append(esc(report.model()))
                .append("</title><style>")
                .append(CSS)
                .append("</style></head><body><main>\n");
        header();
        paperTable();
        benchmarkTable();
        distributions();
        routing();
        gallery();
        training();
        failures();
        footer();
        html.append("</main></body></html>\n");
        return html.toString();
    }

    private void header() {
        long images = report.images().size();
        html.append("<header><h1>DaAIR evaluation report</h1><p class=\"meta\">Model <b>")
                .append(esc(report.model()))
                .append("</b> · experts ")
                .append(esc(String.join(", ", report.experts())))
                .append(" · ")
                .append(report.benchmarks().size())
                .append(" benchmarks, ")
                .append(images)
                .append(" images · <span style=\"white-space:nowrap\">")
                .append(esc(report.created()))
                .append("</span>")
                .append("</p>\n<div class=\"cards\">");
        card("average PSNR", Format.psnr(report.average().psnr()) + " dB");
        card("average SSIM", Format.ssim(report.average().ssim()));
        card(
                "gain over input",
                Format.gain(report.average().psnr() - report.inputAverage().psnr()) + " dB");
        card("router accuracy", Format.percent(report.routing().accuracy()));
        card("time per image", Format.millis(mean(report.images(), r -> r.millis())) + " ms");
        html.append("</div></header>\n");
    }

    private void card(String key, String value) {
        html.append("<div class=\"card\"><div class=\"k\">")
                .append(esc(key))
                .append("</div><div class=\"v\">")
                .append(esc(value))
                .append("</div></div>");
    }

    private void paperTable() {
        PaperTable table = PaperTable.of(report);
        html.append("<section id=\"paper\"><h2>Compared with the paper (PSNR dB / SSIM)</h2><div class=\"scroll\">")
                .append("<table><thead><tr><th>method</th>");
        for (String h : table.headings()) {
            html.append("<th>").append(esc(h)).append("</th>");
        }
        html.append("<th class=\"avg\">average</th></tr></thead><tbody>");
        for (PaperTable.Line line : table.lines()) {
            html.append("<tr class=\"")
                    .append(line.kind())
                    .append("\"><td>")
                    .append(esc(line.label()))
                    .append("</td>");
            for (Optional<Score> cell : line.cells()) {
                html.append("<td>")
                        .append(cell.map(Format::paperCell).orElse(Format.NONE))
                        .append("</td>");
            }
            html.append("<td class=\"avg\">")
                    .append(Format.paperCell(line.average()))
                    .append("</td></tr>");
        }
        html.append(
                        "</tbody></table></div><p class=\"note\">Paper averages are the published ones, over the paper's own")
                .append(
                        " columns (Table 1: SOTS, Rain100L, BSD68 σ15/25/50; Table 2: SOTS, Rain100L, BSD68 σ25, GoPro,")
                .append(" LOL); ours and the input's are over the columns above, each benchmark counting once.");
        if (!table.standIns().isEmpty()) {
            html.append(" * Synthetic stand-ins: ")
                    .append(esc(String.join(", ", table.standIns())))
                    .append(". ")
                    .append(esc(PaperTable.STAND_IN_NOTE));
        }
        if (!table.notEvaluated().isEmpty()) {
            html.append(" Not evaluated here: ")
                    .append(esc(String.join("; ", table.notEvaluated())))
                    .append('.');
        }
        html.append("</p></section>\n");
    }

    private void benchmarkTable() {
        html.append("<section id=\"benchmarks\"><h2>Per benchmark</h2><div class=\"scroll\"><table><thead><tr>")
                .append("<th>benchmark</th><th>images</th><th>input PSNR</th><th>input SSIM</th>")
                .append("<th>restored PSNR</th><th>restored SSIM</th><th>PSNR gain</th><th>router accuracy</th>")
                .append("<th>ms / image</th></tr></thead><tbody>");
        for (BenchmarkSummary b : report.benchmarks()) {
            html.append("<tr><td>")
                    .append(esc(b.benchmark()))
                    .append("</td><td>")
                    .append(b.images())
                    .append("</td><td>")
                    .append(Format.psnr(b.inputPsnr()))
                    .append("</td><td>")
                    .append(Format.ssim(b.inputSsim()))
                    .append("</td><td><b>")
                    .append(Format.psnr(b.psnr()))
                    .append("</b></td><td><b>")
                    .append(Format.ssim(b.ssim()))
                    .append("</b></td>");
            gainCell(b.psnrGain());
            html.append("<td>")
                    .append(Format.percent(b.routerAccuracy()))
                    .append("</td><td>")
                    .append(Format.millis(b.meanMillis()))
                    .append("</td></tr>");
        }
        html.append("</tbody></table></div>");
        imageTable();
        html.append("</section>\n");
    }

    private void gainCell(double gain) {
        html.append("<td class=\"")
                .append(gain >= 0 ? "pos" : "neg")
                .append("\">")
                .append(Format.gain(gain))
                .append("</td>");
    }

    private void imageTable() {
        html.append("<details><summary>Every image (")
                .append(report.images().size())
                .append(")</summary><div class=\"scroll\"><table><thead><tr><th>benchmark</th><th>image</th>")
                .append("<th>degradation</th><th>routed to</th><th>confidence</th><th>input PSNR / SSIM</th>")
                .append("<th>restored PSNR / SSIM</th><th>gain</th><th>ms</th></tr></thead><tbody>");
        for (ImageResult r : report.images()) {
            html.append("<tr><td>")
                    .append(esc(r.benchmark()))
                    .append("</td><td>")
                    .append(esc(r.imageId()))
                    .append("</td><td>")
                    .append(esc(r.degradation()))
                    .append("</td><td class=\"")
                    .append(r.routedCorrectly() ? "" : "neg")
                    .append("\">")
                    .append(esc(r.routedExpert()))
                    .append("</td><td>")
                    .append(Format.number(r.confidence(), "%.2f"))
                    .append("</td><td>")
                    .append(Format.score(new Score(r.inputPsnr(), r.inputSsim())))
                    .append("</td><td>")
                    .append(Format.score(new Score(r.outputPsnr(), r.outputSsim())))
                    .append("</td>");
            gainCell(r.psnrGain());
            html.append("<td>").append(r.millis()).append("</td></tr>");
        }
        html.append("</tbody></table></div></details>");
    }

    private void distributions() {
        html.append("<section id=\"distributions\"><h2>Distributions over images</h2><div class=\"grid\">");
        boxPlot("Restored PSNR per benchmark", "PSNR (dB)", ImageResult::outputPsnr);
        boxPlot("PSNR gain over the degraded input", "gain (dB)", ImageResult::psnrGain);
        boxPlot("Restored SSIM per benchmark", "SSIM", ImageResult::outputSsim);
        boxPlot("Router confidence per benchmark", "confidence", ImageResult::confidence);
        html.append("</div><p class=\"note\">Boxes: quartiles and median; whiskers: 1.5 interquartile ranges.</p>")
                .append("</section>\n");
    }

    private void boxPlot(String title, String yTitle, ToDoubleFunction<ImageResult> value) {
        Charts.boxPlot(title, yTitle, byBenchmark(value))
                .ifPresentOrElse(png -> chart(png, "Box plot: " + title), () -> html.append("<p class=\"note\">")
                        .append(esc(title))
                        .append(": no finite values.</p>"));
    }

    private Map<String, List<Double>> byBenchmark(ToDoubleFunction<ImageResult> value) {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        for (BenchmarkSummary b : report.benchmarks()) {
            values.put(
                    b.benchmark(),
                    report.images().stream()
                            .filter(r -> r.benchmark().equals(b.benchmark()))
                            .map(r -> value.applyAsDouble(r))
                            .toList());
        }
        return values;
    }

    private void routing() {
        ConfusionMatrix m = report.routing();
        html.append("<section id=\"routing\"><h2>Routing</h2><div class=\"grid\">");
        chart(Charts.heatmap(m), "Heat map of true degradation against routed expert");
        html.append("<div><p>The router chose the expert of the true degradation for <b>")
                .append(Format.percent(m.accuracy()))
                .append("</b> of ")
                .append(m.total())
                .append(" images.</p><table><thead><tr><th>true \\ routed</th>");
        for (String e : m.experts()) {
            html.append("<th>").append(esc(e)).append("</th>");
        }
        html.append("</tr></thead><tbody>");
        long[][] counts = m.counts();
        for (int row = 0; row < counts.length; row++) {
            html.append("<tr><td>").append(esc(m.labels().get(row))).append("</td>");
            for (int column = 0; column < counts[row].length; column++) {
                html.append(row == column ? "<td><b>" : "<td>")
                        .append(counts[row][column])
                        .append(row == column ? "</b></td>" : "</td>");
            }
            html.append("</tr>");
        }
        html.append("</tbody></table></div></div></section>\n");
    }

    private void gallery() {
        html.append("<section id=\"gallery\"><h2>Gallery: best, median and worst PSNR gain</h2>");
        if (gallery.isEmpty()) {
            html.append("<p class=\"note\">No images were kept for the gallery.</p>");
        }
        String benchmark = null;
        for (Triptych t : gallery) {
            ImageResult r = t.pick().result();
            if (!r.benchmark().equals(benchmark)) {
                benchmark = r.benchmark();
                html.append("<h3>").append(esc(PaperResults.heading(benchmark))).append("</h3>");
            }
            html.append("<figure><div class=\"trip\">");
            image(t.degradedPng(), "degraded", "degraded · " + Format.score(new Score(r.inputPsnr(), r.inputSsim())));
            image(t.restoredPng(), "restored", "restored · " + Format.score(new Score(r.outputPsnr(), r.outputSsim())));
            image(t.cleanPng(), "clean", "clean");
            html.append("</div><figcaption><span class=\"rank ")
                    .append(esc(t.pick().rank().replace(' ', '-')))
                    .append("\">")
                    .append(esc(t.pick().rank()))
                    .append("</span><b>")
                    .append(esc(r.imageId()))
                    .append("</b> · gain <span class=\"")
                    .append(r.psnrGain() >= 0 ? "pos" : "neg")
                    .append("\">")
                    .append(Format.gain(r.psnrGain()))
                    .append(" dB</span> · ")
                    .append(esc(r.degradation()))
                    .append(" routed to <span class=\"")
                    .append(r.routedCorrectly() ? "" : "neg")
                    .append("\">")
                    .append(esc(r.routedExpert()))
                    .append("</span> (")
                    .append(Format.percent(r.confidence()))
                    .append(")</figcaption></figure>");
        }
        html.append("</section>\n");
    }

    private void image(byte[] png, String alt, String caption) {
        html.append("<div><img alt=\"")
                .append(esc(alt))
                .append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png))
                .append("\">")
                .append(esc(caption))
                .append("</div>");
    }

    private void training() {
        html.append("<section id=\"training\"><h2>Training</h2>");
        List<RoundMetrics> points = report.training();
        if (points.isEmpty()) {
            html.append("<p class=\"note\">No training curves: no training run directory was given.</p></section>\n");
            return;
        }
        RoundMetrics last = points.get(points.size() - 1);
        html.append("<p>")
                .append(points.size())
                .append(" rounds; last: round ")
                .append(last.round())
                .append(", step ")
                .append(last.step())
                .append(", loss ")
                .append(Format.number(last.loss(), "%.4f"))
                .append(", router accuracy ")
                .append(Format.percent(last.routerAccuracy()))
                .append(", ")
                .append(Format.number(last.samplesPerSec(), "%.1f"))
                .append(" samples/s.</p><div class=\"grid\">");
        curve("Loss (L1 + λ · router CE)", "loss", RoundMetrics::loss);
        curve("Router cross-entropy (aux loss)", "cross-entropy", RoundMetrics::auxLoss);
        curve("Router accuracy", "accuracy", RoundMetrics::routerAccuracy);
        curve("Throughput", "samples / s", RoundMetrics::samplesPerSec);
        html.append("</div></section>\n");
    }

    private void failures() {
        if (report.failures().isEmpty()) {
            return;
        }
        html.append("<section id=\"failures\"><h2>Images that could not be evaluated</h2><p>")
                .append(report.failures().size())
                .append(" images are in no figure above.</p><table><thead><tr><th>benchmark</th><th>image</th>")
                .append("<th>file</th><th>reason</th></tr></thead><tbody>");
        for (FailedImage f : report.failures()) {
            html.append("<tr><td>")
                    .append(esc(f.benchmark()))
                    .append("</td><td>")
                    .append(esc(f.imageId()))
                    .append("</td><td><code>")
                    .append(esc(f.file()))
                    .append("</code></td><td>")
                    .append(esc(f.reason()))
                    .append("</td></tr>");
        }
        html.append("</tbody></table></section>\n");
    }

    private void curve(String title, String yTitle, ToDoubleFunction<RoundMetrics> value) {
        chart(Charts.curves(title, yTitle, report.training(), Map.of(yTitle, value)), title + " against step");
    }

    private void footer() {
        html.append("<footer>PSNR and SSIM on full RGB images in [0, 1], no border crop: PSNR with data range 1;")
                .append(" SSIM as scikit-image's <code>structural_similarity(gaussian_weights=True, sigma=1.5,")
                .append(" use_sample_covariance=False, data_range=1, channel_axis=-1)</code>. Benchmark figures are")
                .append(
                        " means over images. Every figure is in <code>report.json</code>. Generated by daair.</footer>");
    }

    private void chart(byte[] png, String alt) {
        html.append("<img class=\"chart\" alt=\"")
                .append(esc(alt))
                .append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png))
                .append("\">");
    }

    private static double mean(List<ImageResult> results, ToDoubleFunction<ImageResult> value) {
        return results.stream().mapToDouble(value).average().orElse(Double.NaN);
    }

    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
