package io.daair.jobs.report;

import io.daair.jobs.train.RoundMetrics;
import java.util.Optional;

/**
 * {@code report.md}: the report's tables in Markdown, for a terminal, a pull request or a wiki (the charts and
 * the gallery are in {@code report.html}).
 */
final class MarkdownReport {

    private final EvaluationReport report;
    private final StringBuilder md = new StringBuilder(1 << 14);

    private MarkdownReport(EvaluationReport report) {
        this.report = report;
    }

    static String render(EvaluationReport report) {
        return new MarkdownReport(report).document();
    }

    private String document() {
        md.append("# DaAIR evaluation report\n\n")
                .append("- model: `")
                .append(report.model())
                .append("`\n")
                .append("- experts: ")
                .append(String.join(", ", report.experts()))
                .append('\n')
                .append("- created: ")
                .append(report.created())
                .append('\n')
                .append("- ")
                .append(report.benchmarks().size())
                .append(" benchmarks, ")
                .append(report.images().size())
                .append(" images; router accuracy ")
                .append(Format.percent(report.routing().accuracy()))
                .append("\n\n");
        paperTable();
        benchmarkTable();
        routing();
        training();
        failures();
        md.append("PSNR and SSIM on full RGB images in [0, 1], no border crop (SSIM as scikit-image's ")
                .append("`structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False, ")
                .append("data_range=1)`). Charts and the gallery: `report.html`; every figure: `report.json`.\n");
        return md.toString();
    }

    private void paperTable() {
        PaperTable table = PaperTable.of(report);
        md.append("## Compared with the paper (PSNR dB / SSIM)\n\n| method |");
        table.headings().forEach(h -> md.append(' ').append(h).append(" |"));
        md.append(" average |\n|---|");
        table.columns().forEach(c -> md.append("---:|"));
        md.append("---:|\n");
        for (PaperTable.Line line : table.lines()) {
            boolean ours = line.kind().equals("ours");
            md.append("| ")
                    .append(ours ? "**" + line.label() + "**" : line.label())
                    .append(" |");
            for (Optional<Score> cell : line.cells()) {
                md.append(' ')
                        .append(cell.map(Format::paperCell).orElse(Format.NONE))
                        .append(" |");
            }
            md.append(' ').append(Format.paperCell(line.average())).append(" |\n");
        }
        md.append(
                "\nPaper averages are the published ones, over the paper's own columns; ours over the columns above.");
        if (!table.standIns().isEmpty()) {
            md.append(" * Synthetic stand-ins: ")
                    .append(String.join(", ", table.standIns()))
                    .append(". ")
                    .append(PaperTable.STAND_IN_NOTE);
        }
        if (!table.notEvaluated().isEmpty()) {
            md.append(" Not evaluated here: ")
                    .append(String.join("; ", table.notEvaluated()))
                    .append('.');
        }
        md.append("\n\n");
    }

    private void benchmarkTable() {
        md.append("## Per benchmark\n\n")
                .append("| benchmark | images | input PSNR | input SSIM | restored PSNR | restored SSIM | PSNR gain |")
                .append(" router accuracy | ms / image |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (BenchmarkSummary b : report.benchmarks()) {
            md.append("| ")
                    .append(b.benchmark())
                    .append(" | ")
                    .append(b.images())
                    .append(" | ")
                    .append(Format.psnr(b.inputPsnr()))
                    .append(" | ")
                    .append(Format.ssim(b.inputSsim()))
                    .append(" | ")
                    .append(Format.psnr(b.psnr()))
                    .append(" | ")
                    .append(Format.ssim(b.ssim()))
                    .append(" | ")
                    .append(Format.gain(b.psnrGain()))
                    .append(" | ")
                    .append(Format.percent(b.routerAccuracy()))
                    .append(" | ")
                    .append(Format.millis(b.meanMillis()))
                    .append(" |\n");
        }
        md.append('\n');
    }

    private void routing() {
        ConfusionMatrix m = report.routing();
        md.append("## Routing (rows: true degradation, columns: routed expert)\n\n| true \\ routed |");
        m.experts().forEach(e -> md.append(' ').append(e).append(" |"));
        md.append("\n|---|");
        m.experts().forEach(e -> md.append("---:|"));
        md.append('\n');
        long[][] counts = m.counts();
        for (int row = 0; row < counts.length; row++) {
            md.append("| ").append(m.labels().get(row)).append(" |");
            for (long count : counts[row]) {
                md.append(' ').append(count).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private void training() {
        if (report.training().isEmpty()) {
            return;
        }
        RoundMetrics last = report.training().get(report.training().size() - 1);
        md.append("## Training\n\n")
                .append(report.training().size())
                .append(" rounds; last: round ")
                .append(last.round())
                .append(", step ")
                .append(last.step())
                .append(", loss ")
                .append(Format.number(last.loss(), "%.4f"))
                .append(", aux loss ")
                .append(Format.number(last.auxLoss(), "%.4f"))
                .append(", router accuracy ")
                .append(Format.percent(last.routerAccuracy()))
                .append(", ")
                .append(Format.number(last.samplesPerSec(), "%.1f"))
                .append(" samples/s.\n\n");
    }

    private void failures() {
        if (report.failures().isEmpty()) {
            return;
        }
        md.append("## Images that could not be evaluated\n\n")
                .append(report.failures().size())
                .append(
                        " images are in no figure above.\n\n| benchmark | image | file | reason |\n|---|---|---|---|\n");
        for (FailedImage f : report.failures()) {
            md.append("| ")
                    .append(f.benchmark())
                    .append(" | ")
                    .append(f.imageId())
                    .append(" | `")
                    .append(f.file())
                    .append("` | ")
                    .append(f.reason().replace("|", "\\|"))
                    .append(" |\n");
        }
        md.append('\n');
    }
}
