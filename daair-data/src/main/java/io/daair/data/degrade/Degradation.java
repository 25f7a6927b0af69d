package io.daair.data.degrade;

import io.daair.data.BadInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The five degradation types and their class labels (paper Sec. 4.1; labels fixed by docs/architecture.md):
 * noise 0, rain 1, haze 2, blur 3, low light 4. A three-degradation model uses labels 0..2.
 */
public enum Degradation {
    NOISE(0, "noise"),
    RAIN(1, "rain"),
    HAZE(2, "haze"),
    BLUR(3, "blur"),
    LOW_LIGHT(4, "lowlight");

    private final int label;
    private final String id;

    Degradation(int label, String id) {
        this.label = label;
        this.id = id;
    }

    /** Class label used by the routers' cross-entropy loss. */
    public int label() {
        return label;
    }

    /** Lower-case name used in config files, Parquet partitions and reports ("noise", ..., "lowlight"). */
    public String id() {
        return id;
    }

    /** The degradation with this label; an unknown label names the valid ones. */
    public static Degradation fromLabel(int label) {
        for (Degradation d : values()) {
            if (d.label == label) {
                return d;
            }
        }
        throw new BadInputException("unknown degradation label " + label + "; valid labels: 0..4 " + valid());
    }

    /**
     * Parses "noise", "rain", "haze", "blur", "lowlight" (also "low_light", "low-light", any case); anything
     * else is an error that lists the valid names.
     */
    public static Degradation fromId(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
        for (Degradation d : values()) {
            if (d.id.equals(key)) {
                return d;
            }
        }
        throw new BadInputException("unknown degradation '" + name + "'; valid: " + valid());
    }

    /** The first {@code count} degradations (3: noise, rain, haze; 5: all). */
    public static Degradation[] firstN(int count) {
        if (count != 3 && count != 5) {
            throw new BadInputException("an all-in-one model has 3 or 5 degradations, not " + count);
        }
        return Arrays.copyOf(values(), count);
    }

    private static String valid() {
        return Arrays.stream(values()).map(d -> d.id + "=" + d.label).collect(Collectors.joining(", "));
    }
}
