package io.daair.jobs.evaluate;

import io.daair.jobs.report.BenchmarkSummary;
import io.daair.jobs.report.EvaluationReport;
import io.daair.jobs.report.PaperResults;
import io.daair.jobs.report.PaperTable;
import io.daair.jobs.report.Score;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The paper-style table on the console: benchmarks as columns (the paper's order first), PSNR/SSIM per cell
 * and the average; rows: the paper's published DaAIR rows (a synthetic benchmark shows the figures of the paper
 * benchmark it stands in for, marked *), the degraded inputs, ours, and router accuracy.
 */
final class ConsoleTable {

    private ConsoleTable() {}

    static void print(EvaluationReport report, PrintWriter out) {
        PaperTable table = PaperTable.of(report);
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("PSNR/SSIM"));
        header.addAll(table.headings());
        header.add("average");
        rows.add(header);
        Iterator<PaperResults.Row> published = PaperResults.rows().iterator();
        for (PaperTable.Line line : table.lines()) {
            String label =
                    switch (line.kind()) {
                        case "paper" -> "DaAIR paper (" + published.next().setting() + ")";
                        case "input" -> "degraded input";
                        default -> "ours";
                    };
            List<String> row = new ArrayList<>(List.of(label));
            line.cells().forEach(c -> row.add(c.map(ConsoleTable::cell).orElse("-")));
            row.add(cell(line.average()));
            rows.add(row);
        }
        Map<String, BenchmarkSummary> summaries =
                report.benchmarks().stream().collect(Collectors.toMap(BenchmarkSummary::benchmark, b -> b));
        List<String> routing = new ArrayList<>(List.of("router accuracy"));
        table.columns().forEach(c -> routing.add(percent(summaries.get(c).routerAccuracy())));
        routing.add(percent(report.routing().accuracy()));
        rows.add(routing);
        print(rows, out);
        if (!table.standIns().isEmpty()) {
            out.println("* synthetic stand-ins on your photos (" + String.join(", ", table.standIns())
                    + "): the paper's figures show scale, not a like-for-like comparison");
        }
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }

    private static String cell(Score s) {
        return String.format(Locale.ROOT, "%.2f/%.3f", s.psnr(), s.ssim());
    }

    private static void print(List<List<String>> rows, PrintWriter out) {
        int n = rows.get(0).size();
        int[] width = new int[n];
        for (List<String> r : rows) {
            for (int i = 0; i < n; i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < n; i++) {
                String v = r.get(i);
                line.append(
                        i == 0 ? v + " ".repeat(width[i] - v.length()) : "  " + " ".repeat(width[i] - v.length()) + v);
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
