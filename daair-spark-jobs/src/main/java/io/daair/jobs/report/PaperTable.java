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
 * inputs and ours. A synthetic benchmark stands in for the paper's benchmark of its degradation: its column
 * shows that benchmark's published figures and is marked with an asterisk. The HTML and Markdown reports
 * both print it, and {@code evaluate}'s console table.
 *
 * @param columns benchmark ids of the evaluation, in column order
 * @param headings one per column: the paper's name of a paper benchmark, a stand-in's id with {@code *}, else
 *     the id
 * @param lines the rows
 * @param notEvaluated paper benchmarks this evaluation did not run (nor stood in for), with their published
 *     figures, as text
 * @param standIns the stand-in columns, as text ("haze for SOTS"), in column order
 */
public record PaperTable(
        List<String> columns,
        List<String> headings,
        List<Line> lines,
        List<String> notEvaluated,
        List<String> standIns) {

    /** What a stand-in column's figures mean, printed after the list of stand-ins. */
    static final String STAND_IN_NOTE = "Ours there are on your own clean photos degraded by daair (see evaluate"
            + " --help); the paper's are on the real benchmark, so they show scale, not a like-for-like comparison.";

    /**
     * One row.
     *
     * @param label what the row is
     * @param kind {@code paper}, {@code input} or {@code ours}
     * @param cells one per column, empty where the row has no figure
     * @param average the row's average: published for the paper, over the columns for ours
     */
    public record Line(String label, String kind, List<Optional<Score>> cells, Score average) {}

    public static PaperTable of(EvaluationReport report) {
        List<String> columns = report.benchmarks().stream()
                .map(BenchmarkSummary::benchmark)
                .sorted(Comparator.comparingInt(PaperResults::columnOrder))
                .toList();
        List<Line> lines = new ArrayList<>();
        Set<String> shown = new LinkedHashSet<>();
        columns.forEach(c -> PaperResults.paperColumn(c).ifPresent(shown::add));
        List<String> notEvaluated = new ArrayList<>();
        for (PaperResults.Row row : PaperResults.rows()) {
            List<Optional<Score>> cells = columns.stream()
                    .map(c -> PaperResults.paperColumn(c).map(id -> row.scores().get(id)))
                    .toList();
            lines.add(new Line(
                    "DaAIR, paper (" + row.setting() + ", " + row.table() + ")", "paper", cells, row.average()));
            row.scores().forEach((id, score) -> {
                if (!shown.contains(id)) {
                    notEvaluated.add(
                            PaperResults.heading(id) + " " + Format.paperCell(score) + " (" + row.setting() + ")");
                }
            });
        }
        lines.add(new Line("Degraded input", "input", cells(report, columns, true), report.inputAverage()));
        lines.add(new Line(
                "Ours: " + modelName(report.model()), "ours", cells(report, columns, false), report.average()));
        List<String> headings = columns.stream()
                .map(c -> PaperResults.standIn(c).isPresent() ? c + "*" : PaperResults.heading(c))
                .toList();
        List<String> standIns = columns.stream()
                .flatMap(c -> PaperResults.standIn(c).map(id -> c + " for " + PaperResults.heading(id)).stream())
                .toList();
        return new PaperTable(columns, headings, lines, notEvaluated, standIns);
    }

    /** A model's file name ({@code model.safetensors}) out of its path or URI; the report's header has it whole. */
    static String modelName(String model) {
        String path = model.endsWith("/") ? model.substring(0, model.length() - 1) : model;
        return path.substring(path.lastIndexOf('/') + 1);
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
