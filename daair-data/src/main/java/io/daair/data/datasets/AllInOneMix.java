package io.daair.data.datasets;

import io.daair.data.degrade.Degradation;
import io.daair.data.degrade.Seeds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * One epoch's list of samples under a {@link MixSpec}: each sample repeated by its degradation's factor
 * ({@link Sample#repeat()} numbers the copies, so each copy gets its own seed and crops), then shuffled with a
 * seeded {@link Random} (Fisher-Yates, {@code new Random(Seeds.mix64(seed))}).
 */
public final class AllInOneMix {

    private AllInOneMix() {}

    /** Expands and shuffles; a sample whose degradation is not in the mix is an error naming its dataset. */
    public static List<Sample> expand(List<Sample> samples, MixSpec mix, long seed) {
        Set<String> outside = new TreeSet<>();
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            if (!mix.includes(s.degradation())) {
                outside.add(s.dataset() + " (" + s.degradation().id() + ")");
                continue;
            }
            for (int r = 0; r < mix.repeat(s.degradation()); r++) {
                out.add(s.withRepeat(r));
            }
        }
        if (!outside.isEmpty()) {
            throw new DatasetException(
                    "datasets whose degradation is not part of the mix "
                            + mix.repeats().keySet() + "; remove them or change the mix",
                    List.copyOf(outside));
        }
        Collections.shuffle(out, new Random(Seeds.mix64(seed)));
        return out;
    }

    /** Samples per degradation. */
    public static Map<Degradation, Long> counts(List<Sample> samples) {
        Map<Degradation, Long> m = new EnumMap<>(Degradation.class);
        for (Sample s : samples) {
            m.merge(s.degradation(), 1L, Long::sum);
        }
        return m;
    }
}
