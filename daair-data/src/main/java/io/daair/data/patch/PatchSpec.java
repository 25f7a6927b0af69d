package io.daair.data.patch;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.daair.data.BadInputException;
import java.io.Serializable;

/**
 * How patches are cut from each image (paper Sec. 4.1: 128x128 random crops with random flips): crop side,
 * patches per image (per protocol repeat), the base seed, and whether the eight flips/rotations are drawn.
 *
 * <p>Read once at the edge from {@code daair.data.patch} ({@code size}, {@code per-image}, {@code seed},
 * {@code dihedral}); defaults in daair-data's {@code reference.conf}. Immutable and serialisable: safe to send to
 * executors.
 */
public record PatchSpec(int size, int perImage, long seed, boolean dihedral) implements Serializable {

    /** The paper's crop side. */
    public static final int DEFAULT_SIZE = 128;

    public PatchSpec {
        if (size < 8 || size % 8 != 0) {
            throw new BadInputException("patch size must be a positive multiple of 8, got " + size);
        }
        if (perImage < 1) {
            throw new BadInputException("patches per image must be >= 1, got " + perImage);
        }
    }

    /** 128x128, one patch per image, flips/rotations on. */
    public static PatchSpec defaults(long seed) {
        return new PatchSpec(DEFAULT_SIZE, 1, seed, true);
    }

    /** Reads {@code daair.data.patch.*}; a bad value is a {@link ConfigException.BadValue} naming key and origin. */
    public static PatchSpec fromConfig(Config config) {
        Config c = config.getConfig("daair.data.patch");
        int size = c.getInt("size");
        if (size < 8 || size % 8 != 0) {
            throw new ConfigException.BadValue(
                    c.origin(),
                    "daair.data.patch.size",
                    "must be a positive multiple of 8 (the network downsamples" + " three times), got " + size);
        }
        int perImage = c.getInt("per-image");
        if (perImage < 1) {
            throw new ConfigException.BadValue(
                    c.origin(), "daair.data.patch.per-image", "must be >= 1, got " + perImage);
        }
        return new PatchSpec(size, perImage, c.getLong("seed"), c.getBoolean("dihedral"));
    }
}
