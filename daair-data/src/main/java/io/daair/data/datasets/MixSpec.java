package io.daair.data.datasets;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.daair.data.BadInputException;
import io.daair.data.degrade.Degradation;
import java.io.Serializable;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * How many times each degradation's samples are repeated per epoch (the all-in-one mixing protocol of
 * docs/architecture.md, "Data and evaluation protocol"): noise x3 (each sigma, over BSD400+WED), rain x120
 * (Rain100L), haze x1 (OTS), blur x5 (GoPro), low light x20 (LOL). A degradation absent from the map is not
 * part of the mix.
 */
public record MixSpec(Map<Degradation, Integer> repeats) implements Serializable {

    public MixSpec {
        if (repeats.isEmpty()) {
            throw new BadInputException("a mix needs at least one degradation");
        }
        EnumMap<Degradation, Integer> copy = new EnumMap<>(repeats);
        copy.forEach((d, r) -> {
            if (r == null || r < 1) {
                throw new BadInputException("repeat factor of " + d.id() + " must be >= 1, got " + r);
            }
        });
        repeats = Collections.unmodifiableMap(copy);
    }

    /** The paper's protocol for 3 (noise, rain, haze) or 5 degradations. */
    public static MixSpec paper(int degradations) {
        Map<Degradation, Integer> all = Map.of(
                Degradation.NOISE, 3,
                Degradation.RAIN, 120,
                Degradation.HAZE, 1,
                Degradation.BLUR, 5,
                Degradation.LOW_LIGHT, 20);
        EnumMap<Degradation, Integer> m = new EnumMap<>(Degradation.class);
        for (Degradation d : Degradation.firstN(degradations)) {
            m.put(d, all.get(d));
        }
        return new MixSpec(m);
    }

    /** A single-task set: one degradation, no repetition. */
    public static MixSpec single(Degradation d) {
        return new MixSpec(Map.of(d, 1));
    }

    /** Reads {@code degradations} (3 or 5, or a single name) and optional {@code repeat.<id>} overrides. */
    public static MixSpec fromConfig(Config c) {
        try {
            String value = c.getString("degradations").trim();
            MixSpec base = value.matches("\\d+") ? paper(Integer.parseInt(value)) : single(Degradation.fromId(value));
            if (!c.hasPath("repeat")) {
                return base;
            }
            EnumMap<Degradation, Integer> m = new EnumMap<>(base.repeats());
            for (Degradation d : base.repeats().keySet()) {
                if (c.hasPath("repeat." + d.id())) {
                    m.put(d, c.getInt("repeat." + d.id()));
                }
            }
            return new MixSpec(m);
        } catch (BadInputException e) {
            throw new ConfigException.BadValue(c.origin(), "degradations", e.getMessage(), e);
        }
    }

    /** Whether {@code d} is part of this mix. */
    public boolean includes(Degradation d) {
        return repeats.containsKey(d);
    }

    /** The repeat factor of {@code d}. */
    public int repeat(Degradation d) {
        Integer r = repeats.get(d);
        if (r == null) {
            throw new IllegalArgumentException(d.id() + " is not part of this mix " + repeats.keySet());
        }
        return r;
    }
}
