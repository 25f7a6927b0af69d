package io.daair.jobs.evaluate;

import io.daair.jobs.report.BenchmarkSummary;
import io.daair.jobs.report.EvaluationReport;
import io.daair.jobs.report.PaperResults;
import io.daair.jobs.report.Score;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The paper-style table on the console: benchmarks as columns (the paper's order first), PSNR/SSIM per cell
 * and the average; rows: the paper's published DaAIR rows (a synthetic benchmark shows the figures of the paper
 * benchmark it stands in for, marked *), the degraded inputs, ours, and router accuracy.
 */
final class ConsoleTable {

    private ConsoleTable() {}

    static void print(EvaluationReport report, PrintWriter out) {
        List<BenchmarkSummary> columns = new ArrayList<>(report.benchmarks());
        columns.sort(Comparator.comparingInt(b -> PaperResults.columnOrder(b.benchmark())));
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("PSNR/SSIM"));
        columns.forEach(b -> header.add(PaperResults.heading(b.benchmark())
                + (PaperResults.standIn(b.benchmark()).isPresent() ? "*" : "")));
        header.add("average");
        rows.add(header);
        for (PaperResults.Row paper : PaperResults.rows()) {
            List<String> row = new ArrayList<>(List.of("DaAIR paper (" + paper.setting() + ")"));
            for (BenchmarkSummary b : columns) {
                row.add(PaperResults.paperColumn(b.benchmark())
                        .map(id -> Optional.ofNullable(paper.scores().get(id)))
                        .flatMap(s -> s)
                        .map(ConsoleTable::cell)
                        .orElse("-"));
            }
            row.add(cell(paper.average()));
            rows.add(row);
        }
        List<String> input = new ArrayList<>(List.of("degraded input"));
        List<String> ours = new ArrayList<>(List.of("ours"));
        List<String> routing = new ArrayList<>(List.of("router accuracy"));
        for (BenchmarkSummary b : columns) {
            input.add(cell(new Score(b.inputPsnr(), b.inputSsim())));
            ours.add(cell(new Score(b.psnr(), b.ssim())));
            routing.add(String.format(Locale.ROOT, "%.1f%%", 100 * b.routerAccuracy()));
        }
        input.add(cell(report.inputAverage()));
        ours.add(cell(report.average()));
        routing.add(String.format(Locale.ROOT, "%.1f%%", 100 * report.routing().accuracy()));
        rows.add(input);
        rows.add(ours);
        rows.add(routing);
        print(rows, out);
        List<String> standIns = columns.stream()
                .flatMap(b ->
                        PaperResults.standIn(b.benchmark())
                                .map(id -> b.benchmark() + " for " + PaperResults.heading(id))
                                .stream())
                .toList();
        if (!standIns.isEmpty()) {
            out.println("* synthetic stand-ins on your photos (" + String.join(", ", standIns)
                    + "): the paper's figures show scale, not a like-for-like comparison");
        }
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
