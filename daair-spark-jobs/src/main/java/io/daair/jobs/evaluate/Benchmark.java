package io.daair.jobs.evaluate;

import io.daair.data.BadInputException;
import io.daair.data.degrade.Degradation;
import io.daair.jobs.cli.UserException;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One {@code --benchmark} argument: what to evaluate on and where it is.
 *
 * <ul>
 *   <li>{@code bsd68=DIR}: clean photos with the noise protocol at sigma 15, 25 and 50 (benchmarks
 *       {@code bsd68-s15}, {@code bsd68-s25}, {@code bsd68-s50});
 *   <li>{@code rain100l=DIR}, {@code sots-outdoor=DIR}, {@code gopro=DIR}, {@code lol-v1=DIR}: the standard
 *       layouts of those sets (see {@link io.daair.data.datasets.DatasetLayout});
 *   <li>{@code paired=NAME:DEGRADED_DIR:CLEAN_DIR:DEGRADATION}: any two folders of pairs matched by name;
 *   <li>{@code parquet=URI}: patches of {@code daair prepare} (benchmarks {@code patches-<degradation>});
 *   <li>{@code synthetic=DIR}: clean photos with each of the five synthetic degradations (benchmarks
 *       {@code noise-s25}, {@code rain}, {@code haze}, {@code blur}, {@code lowlight}).
 * </ul>
 *
 * @param kind the kind of set
 * @param name the benchmark name (for kinds that yield one benchmark) or the set's name
 * @param path the folder (degraded folder for {@code paired}) or Parquet URI
 * @param cleanPath the clean folder of {@code paired}, else null
 * @param degradation the degradation of {@code paired}, else null
 */
public record Benchmark(Kind kind, String name, String path, String cleanPath, Degradation degradation)
        implements Serializable {

    /** The kinds of benchmark argument, by their name before {@code =}. */
    public enum Kind {
        BSD68("bsd68"),
        RAIN100L("rain100l"),
        SOTS_OUTDOOR("sots-outdoor"),
        GOPRO("gopro"),
        LOL_V1("lol-v1"),
        PAIRED("paired"),
        PARQUET("parquet"),
        SYNTHETIC("synthetic");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        static Kind fromId(String s, String arg) {
            String key = s.trim().toLowerCase(Locale.ROOT);
            for (Kind k : values()) {
                if (k.id.equals(key)
                        || k.id.replace("-", "").equals(key.replace("-", "").replace("_", ""))) {
                    return k;
                }
            }
            if (key.equals("sots")) {
                return SOTS_OUTDOOR;
            }
            if (key.equals("lol")) {
                return LOL_V1;
            }
            throw UserException.badInput("--benchmark " + arg + ": unknown benchmark '" + s + "'; valid: "
                    + Arrays.stream(values()).map(Kind::id).collect(Collectors.joining(", ")));
        }
    }

    /** A folder or URI: optional scheme ({@code hdfs:}), optional authority ({@code //host:port}), then no ':'. */
    private static final String LOCATION = "(?:[A-Za-z][A-Za-z0-9+.-]*:(?=/))?(?://[^/]*)?[^:]+";

    private static final Pattern PAIRED_VALUE =
            Pattern.compile("([^:/=]+):(" + LOCATION + "):(" + LOCATION + "):([A-Za-z_-]+)");

    public Benchmark {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
    }

    /** Parses {@code NAME=PATH} (see the class comment); errors name the argument and the valid forms. */
    public static Benchmark parse(String arg) {
        int eq = arg.indexOf('=');
        if (eq <= 0 || eq == arg.length() - 1) {
            throw UserException.badInput("--benchmark " + arg + ": expected NAME=PATH, e.g. bsd68=/data/BSD68,"
                    + " rain100l=/data/Rain100L/test, paired=mine:/data/hazy:/data/clear:haze, synthetic=/photos");
        }
        Kind kind = Kind.fromId(arg.substring(0, eq), arg);
        String value = arg.substring(eq + 1).trim();
        if (kind == Kind.PAIRED) {
            Matcher m = PAIRED_VALUE.matcher(value);
            if (!m.matches()) {
                throw UserException.badInput("--benchmark " + arg
                        + ": expected paired=NAME:DEGRADED_DIR:CLEAN_DIR:DEGRADATION, e.g."
                        + " paired=mine:hdfs://nn:8020/data/hazy:hdfs://nn:8020/data/clear:haze");
            }
            Degradation d;
            try {
                d = Degradation.fromId(m.group(4));
            } catch (BadInputException e) {
                throw UserException.badInput("--benchmark " + arg + ": " + e.getMessage(), e);
            }
            return new Benchmark(kind, m.group(1), m.group(2), m.group(3), d);
        }
        return new Benchmark(kind, kind.id(), value, null, null);
    }

    /** Benchmark names of the synthetic kind, in order: one per degradation (noise at sigma 25). */
    public static List<String> syntheticNames() {
        return Arrays.stream(Degradation.values()).map(Benchmark::syntheticName).toList();
    }

    static String syntheticName(Degradation d) {
        return d == Degradation.NOISE ? "noise-s25" : d.id();
    }
}
