package io.daair.jobs.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The DaAIR figures the paper published (its Table 1, three degradations, and Table 2, five degradations,
 * as copied into docs/architecture.md), and the benchmark ids that name its columns.
 *
 * <p>Benchmark ids, as the evaluate job must name its benchmarks for them to line up with the paper:
 * {@code sots-outdoor}, {@code rain100l}, {@code bsd68-s15}, {@code bsd68-s25}, {@code bsd68-s50},
 * {@code gopro}, {@code lol-v1}. Matching ignores case and punctuation; {@code sots}, {@code lol} and
 * {@code cbsd68-s25} (etc.) are accepted too.
 */
public final class PaperResults {

    /**
     * One published row.
     *
     * @param setting what was trained, e.g. "three degradations"
     * @param table where it was published, e.g. "Table 1"
     * @param scores by canonical benchmark id, in the paper's column order
     * @param average the published average over {@code scores}
     */
    public record Row(String setting, String table, Map<String, Score> scores, Score average) {
        public Row {
            scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
        }
    }

    /** Canonical ids in the paper's column order, with the column headings. */
    private static final Map<String, String> HEADINGS = headings();

    private static final List<Row> ROWS = List.of(
            new Row(
                    "three degradations",
                    "Table 1",
                    scores(
                            entry("sots-outdoor", 32.30, .981),
                            entry("rain100l", 37.10, .978),
                            entry("bsd68-s15", 33.92, .930),
                            entry("bsd68-s25", 31.26, .884),
                            entry("bsd68-s50", 28.00, .792)),
                    new Score(32.51, .913)),
            new Row(
                    "five degradations",
                    "Table 2",
                    scores(
                            entry("sots-outdoor", 31.97, .980),
                            entry("rain100l", 36.28, .975),
                            entry("bsd68-s25", 31.07, .878),
                            entry("gopro", 29.51, .890),
                            entry("lol-v1", 22.38, .825)),
                    new Score(30.24, .910)));

    /** Synthetic benchmark names (io.daair.jobs.evaluate.Benchmark#syntheticNames) and their paper benchmarks. */
    private static final Map<String, String> STAND_INS = Map.of(
            "haze", "sots-outdoor",
            "rain", "rain100l",
            "noise-s25", "bsd68-s25",
            "blur", "gopro",
            "lowlight", "lol-v1");

    private PaperResults() {}

    /** The published DaAIR rows: three degradations, then five degradations. */
    public static List<Row> rows() {
        return ROWS;
    }

    /** The canonical paper id of a benchmark id ({@code BSD68_s25} gives {@code bsd68-s25}), if it is one. */
    public static Optional<String> paperId(String benchmark) {
        String key = normalise(benchmark);
        for (String id : HEADINGS.keySet()) {
            if (normalise(id).equals(key)) {
                return Optional.of(id);
            }
        }
        return switch (key) {
            case "sots" -> Optional.of("sots-outdoor");
            case "lol" -> Optional.of("lol-v1");
            case "cbsd68s15", "cbsd68s25", "cbsd68s50" -> paperId(key.substring(1));
            default -> Optional.empty();
        };
    }

    /**
     * The paper benchmark that a synthetic benchmark of {@code evaluate --benchmark synthetic=DIR} stands in for:
     * the one of its degradation ({@code haze} for SOTS, {@code rain} for Rain100L, {@code noise-s25} for BSD68
     * sigma 25, {@code blur} for GoPro, {@code lowlight} for LOL); empty for any other benchmark.
     */
    public static Optional<String> standIn(String benchmark) {
        return Optional.ofNullable(STAND_INS.get(benchmark));
    }

    /** The paper benchmark a column shows the published figures of: its own, or the one it stands in for. */
    public static Optional<String> paperColumn(String benchmark) {
        return paperId(benchmark).or(() -> standIn(benchmark));
    }

    /** The column heading for a benchmark: the paper's name for its benchmarks, the id itself otherwise. */
    public static String heading(String benchmark) {
        return paperId(benchmark).map(HEADINGS::get).orElse(benchmark);
    }

    /**
     * Position of a benchmark in the paper's column order (a stand-in at its paper benchmark's place); benchmarks
     * the paper lacks come after, equal.
     */
    public static int columnOrder(String benchmark) {
        return paperColumn(benchmark)
                .map(id -> List.copyOf(HEADINGS.keySet()).indexOf(id))
                .orElse(HEADINGS.size());
    }

    private static String normalise(String id) {
        return id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    private static Map<String, String> headings() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("sots-outdoor", "SOTS");
        h.put("rain100l", "Rain100L");
        h.put("bsd68-s15", "BSD68 σ15");
        h.put("bsd68-s25", "BSD68 σ25");
        h.put("bsd68-s50", "BSD68 σ50");
        h.put("gopro", "GoPro");
        h.put("lol-v1", "LOL");
        return Collections.unmodifiableMap(h);
    }

    private static Map.Entry<String, Score> entry(String id, double psnr, double ssim) {
        return Map.entry(id, new Score(psnr, ssim));
    }

    @SafeVarargs
    private static Map<String, Score> scores(Map.Entry<String, Score>... entries) {
        Map<String, Score> m = new LinkedHashMap<>();
        for (Map.Entry<String, Score> e : entries) {
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }
}
