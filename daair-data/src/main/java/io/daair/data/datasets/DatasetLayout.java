package io.daair.data.datasets;

import io.daair.data.BadInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The folder layouts users download, and their names in config files. */
public enum DatasetLayout {
    /** A folder of clean photos (BSD400, WED, BSD68, CBSD68, Urban100, any photos): degradations are synthetic. */
    CLEAN("clean"),
    /** Rain100L: {@code rain-N.png} with {@code norain-N.png}, in one folder or in sibling folders. */
    RAIN100L("rain100l"),
    /** RESIDE OTS / SOTS: {@code hazy/0025_0.8_0.04.jpg} with {@code clear/0025.jpg} (or {@code gt/}). */
    RESIDE("reside"),
    /** GoPro: {@code <sequence>/blur/*.png} with {@code <sequence>/sharp/*.png}. */
    GOPRO("gopro"),
    /** LOL-v1: {@code low/*.png} with {@code high/*.png} (e.g. {@code our485/low}, {@code eval15/low}). */
    LOL("lol"),
    /** Any two folders of pairs matched by file name without extension: {@code degraded} and {@code clean}. */
    PAIRED("paired");

    private final String id;

    DatasetLayout(String id) {
        this.id = id;
    }

    /** The name used in config files. */
    public String id() {
        return id;
    }

    /** Parses a layout name; an unknown one lists the valid names. */
    public static DatasetLayout fromId(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (DatasetLayout l : values()) {
            if (l.id.equals(key)) {
                return l;
            }
        }
        throw new BadInputException("unknown dataset layout '" + name + "'; valid: "
                + Arrays.stream(values()).map(DatasetLayout::id).collect(Collectors.joining(", ")));
    }
}
