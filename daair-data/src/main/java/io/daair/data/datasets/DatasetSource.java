package io.daair.data.datasets;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.daair.data.BadInputException;
import io.daair.data.degrade.Degradation;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One dataset to read: its name, layout, root folder (a Hadoop URI) and, for clean folders, which synthetic
 * degradations (and noise levels) to make; for {@link DatasetLayout#PAIRED}, the clean folder and the one
 * degradation.
 *
 * <p>In HOCON (an element of {@code daair.data.sources}):
 * <pre>{@code
 * { name = bsd400, layout = clean, root = "hdfs:///data/BSD400", degradations = [noise], sigmas = [15, 25, 50] }
 * { name = rain100l, layout = rain100l, root = "file:///data/Rain100L/train" }
 * { name = mine, layout = paired, root = "/data/hazy", clean-root = "/data/gt", degradations = [haze] }
 * }</pre>
 */
public record DatasetSource(
        String name,
        DatasetLayout layout,
        String root,
        String cleanRoot,
        List<Degradation> degradations,
        List<Double> sigmas)
        implements Serializable {

    /** The benchmark noise levels. */
    public static final List<Double> BENCHMARK_SIGMAS = List.of(15.0, 25.0, 50.0);

    public DatasetSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(root, "root");
        degradations = List.copyOf(degradations.isEmpty() ? defaultDegradations(layout) : degradations);
        sigmas = List.copyOf(sigmas.isEmpty() ? BENCHMARK_SIGMAS : sigmas);
        if (layout == DatasetLayout.PAIRED && (cleanRoot == null || degradations.size() != 1)) {
            throw new BadInputException(
                    "dataset '" + name + "': a paired layout needs clean-root and exactly one degradation");
        }
        if (layout != DatasetLayout.CLEAN
                && layout != DatasetLayout.PAIRED
                && !degradations.equals(defaultDegradations(layout))) {
            throw new BadInputException("dataset '" + name + "': layout " + layout.id() + " holds "
                    + defaultDegradations(layout).get(0).id() + " pairs, not " + degradations);
        }
        for (double s : sigmas) {
            if (!(s > 0 && s <= 255)) {
                throw new BadInputException("dataset '" + name + "': noise sigma " + s + " not in (0, 255]");
            }
        }
    }

    /** A clean folder degraded synthetically. */
    public static DatasetSource clean(String name, String root, List<Degradation> degradations) {
        return new DatasetSource(name, DatasetLayout.CLEAN, root, null, degradations, List.of());
    }

    /** A benchmark pair layout (Rain100L, RESIDE, GoPro, LOL). */
    public static DatasetSource pairs(String name, DatasetLayout layout, String root) {
        return new DatasetSource(name, layout, root, null, List.of(), List.of());
    }

    /** Two paired folders. */
    public static DatasetSource paired(String name, String degradedRoot, String cleanRoot, Degradation d) {
        return new DatasetSource(name, DatasetLayout.PAIRED, degradedRoot, cleanRoot, List.of(d), List.of());
    }

    /**
     * Reads one source object; errors are {@link ConfigException.BadValue} naming the key and where it was set.
     */
    public static DatasetSource fromConfig(Config c) {
        String name = c.getString("name");
        DatasetLayout layout = parse(c, "layout", () -> DatasetLayout.fromId(c.getString("layout")));
        List<Degradation> degradations = c.hasPath("degradations")
                ? parse(c, "degradations", () -> c.getStringList("degradations").stream()
                        .map(Degradation::fromId)
                        .toList())
                : List.of();
        List<Double> sigmas = c.hasPath("sigmas") ? c.getDoubleList("sigmas") : List.of();
        String cleanRoot = c.hasPath("clean-root") ? c.getString("clean-root") : null;
        return parse(
                c, "name", () -> new DatasetSource(name, layout, c.getString("root"), cleanRoot, degradations, sigmas));
    }

    static List<Degradation> defaultDegradations(DatasetLayout layout) {
        return switch (layout) {
            case CLEAN -> List.of(Degradation.NOISE);
            case RAIN100L -> List.of(Degradation.RAIN);
            case RESIDE -> List.of(Degradation.HAZE);
            case GOPRO -> List.of(Degradation.BLUR);
            case LOL -> List.of(Degradation.LOW_LIGHT);
            case PAIRED -> List.of();
        };
    }

    private static <T> T parse(Config c, String key, java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (BadInputException e) {
            throw new ConfigException.BadValue(c.origin(), key, e.getMessage(), e);
        }
    }
}
