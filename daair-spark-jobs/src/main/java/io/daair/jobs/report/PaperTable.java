package io.daair.jobs.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The paper-style table of a report: benchmarks as columns (in the paper's order, then the others), one
 * PSNR/SSIM cell per benchmark and an average; rows are the paper's published DaAIR figures, the degraded
 * inputs and ours. The HTML and Markdown reports both print it.
 *
 * @param columns benchmark ids of the evaluation, in column order
 * @param lines the rows
 * @param notEvaluated paper benchmarks this evaluation did not run, with their published figures, as text
 */
record PaperTable(List<String> columns, List<Line> lines, List<String> notEvaluated) {

    /**
     * One row.
     *
     * @param label what the row is
     * @param kind {@code paper}, {@code input} or {@code ours}
     * @param cells one per column, empty where the row has no figure
     * @param average the row's average: published for the paper, over the columns for ours
     */
    record Line(String label, String kind, List<Optional<Score>> cells, Score average) {}

    static PaperTable of(EvaluationReport report) {
        List<String> columns = report.benchmarks().stream()
                .map(BenchmarkSummary::benchmark)
                .sorted(Comparator.comparingInt(PaperResults::columnOrder))
                .toList();
        List<Line> lines = new ArrayList<>();
        Set<String> evaluated = new LinkedHashSet<>();
        columns.forEach(c -> PaperResults.paperId(c).ifPresent(evaluated::add));
        List<String> notEvaluated = new ArrayList<>();
        for (PaperResults.Row row : PaperResults.rows()) {
            List<Optional<Score>> cells = columns.stream()
                    .map(c -> PaperResults.paperId(c).map(id -> row.scores().get(id)))
                    .toList();
            lines.add(new Line(
                    "DaAIR, paper (" + row.setting() + ", " + row.table() + ")", "paper", cells, row.average()));
            row.scores().forEach((id, score) -> {
                if (!evaluated.contains(id)) {
                    notEvaluated.add(
                            PaperResults.heading(id) + " " + Format.paperCell(score) + " (" + row.setting() + ")");
                }
            });
        }
        lines.add(new Line("Degraded input", "input", cells(report, columns, true), report.inputAverage()));
        lines.add(new Line("Ours: " + report.model(), "ours", cells(report, columns, false), report.average()));
        return new PaperTable(columns, lines, notEvaluated);
    }

    private static List<Optional<Score>> cells(EvaluationReport report, List<String> columns, boolean input) {
        return columns.stream()
                .map(c -> report.benchmarks().stream()
                        .filter(b -> b.benchmark().equals(c))
                        .findFirst()
                        .map(b -> input ? new Score(b.inputPsnr(), b.inputSsim()) : new Score(b.psnr(), b.ssim())))
                .toList();
    }
}
