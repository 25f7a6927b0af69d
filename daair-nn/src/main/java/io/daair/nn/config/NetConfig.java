package io.daair.nn.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The DaAIR network configuration (docs/architecture.md, "Presets and their exact parameter counts"; paper Sec. 3
 * and Table 4 ablations).
 *
 * <p>Levels are counted from the top: {@code encBlocks[l]} and {@code heads[l]} for l = 0..3 (level l
 * has {@code dim * 2^l} channels), {@code decBlocks} in the spec's order (levels 3, 2, 1 in the
 * paper's numbering, i.e. index 0 is the decoder level nearest the latent). The ablation switches:
 * {@code useExperts = false} removes every DaLe (and so every router and controller),
 * {@code useController = false} replaces the decoder's cross-attention by self-attention (MDTA),
 * {@code auxLossWeight = 0} removes the routing loss.
 *
 * @param dim channels at level 1
 * @param encBlocks EncoderBlocks per level, 4 values
 * @param decBlocks DecoderBlocks per level nearest-the-latent first, 3 values
 * @param refineBlocks refinement PlainBlocks at level 1
 * @param heads attention heads per level, 4 values, each dividing that level's channels
 * @param ffnFactor GDFN expansion, hidden = floor(C * ffnFactor)
 * @param rankRatio expert rank r = C / rankRatio
 * @param kernel expert depthwise kernel size (odd)
 * @param degradations number of degradation types E (experts per DaLe)
 * @param useExperts DaLe on (true) or off
 * @param useController cross-attention on controller features (true) or self-attention in the decoder
 * @param auxLossWeight lambda, weight of the mean router cross-entropy
 * @param emaSigma controller EMA decay sigma
 */
public record NetConfig(
        int dim,
        int[] encBlocks,
        int[] decBlocks,
        int refineBlocks,
        int[] heads,
        double ffnFactor,
        int rankRatio,
        int kernel,
        int degradations,
        boolean useExperts,
        boolean useController,
        double auxLossWeight,
        double emaSigma)
        implements java.io.Serializable {

    /** Number of U-Net levels. */
    public static final int LEVELS = 4;

    /** The named presets of the spec table. */
    public static final List<String> PRESETS = List.of("tiny", "small", "paper");

    private static final Set<String> KEYS = Set.of(
            "dim",
            "enc-blocks",
            "dec-blocks",
            "refine-blocks",
            "heads",
            "ffn-factor",
            "rank-ratio",
            "kernel",
            "degradations",
            "preset",
            "use-experts",
            "use-controller",
            "aux-loss-weight",
            "ema-sigma");

    /** Validates every field; messages name the field and its value. */
    public NetConfig {
        encBlocks = copyOf("encBlocks", encBlocks, LEVELS);
        decBlocks = copyOf("decBlocks", decBlocks, LEVELS - 1);
        heads = copyOf("heads", heads, LEVELS);
        require(dim >= 2 && dim % 2 == 0, "dim must be even and >= 2 (down-sampling halves channels), got " + dim);
        require(rankRatio >= 1, "rankRatio must be >= 1, got " + rankRatio);
        require(
                dim % rankRatio == 0,
                "rankRatio " + rankRatio + " must divide dim " + dim + " (expert rank C/rankRatio)");
        for (int l = 0; l < LEVELS; l++) {
            require(encBlocks[l] >= 1, "encBlocks[" + l + "] must be >= 1, got " + encBlocks[l]);
            require(heads[l] >= 1, "heads[" + l + "] must be >= 1, got " + heads[l]);
            int c = channels(dim, l);
            require(c % heads[l] == 0, "heads[" + l + "] = " + heads[l] + " must divide the level's channels " + c);
        }
        for (int i = 0; i < LEVELS - 1; i++) {
            require(decBlocks[i] >= 1, "decBlocks[" + i + "] must be >= 1, got " + decBlocks[i]);
        }
        require(refineBlocks >= 0, "refineBlocks must be >= 0, got " + refineBlocks);
        require(
                Double.isFinite(ffnFactor) && ffnFactor > 0 && Math.floor(dim * ffnFactor) >= 1,
                "ffnFactor must be > 0 with floor(dim * ffnFactor) >= 1, got " + ffnFactor);
        require(kernel >= 1 && kernel % 2 == 1, "kernel must be odd and >= 1, got " + kernel);
        require(degradations >= 1, "degradations must be >= 1 (3 or 5 in the paper), got " + degradations);
        require(
                useExperts || !useController,
                "useController = true needs useExperts = true (controllers follow the encoder's agnostic experts);"
                        + " set use-controller = false for the no-experts ablation");
        require(
                Double.isFinite(auxLossWeight) && auxLossWeight >= 0,
                "auxLossWeight must be finite and >= 0, got " + auxLossWeight);
        require(emaSigma >= 0 && emaSigma <= 1, "emaSigma must be in [0, 1], got " + emaSigma);
    }

    /**
     * One of the spec's presets.
     *
     * @param name tiny, small or paper
     * @param degradations 3 or 5
     */
    public static NetConfig preset(String name, int degradations) {
        if (degradations != 3 && degradations != 5) {
            throw new BadNetInputException("degradations must be 3 or 5 for a preset, got " + degradations);
        }
        return switch (name) {
            case "tiny" -> presetRow(8, new int[] {1, 1, 1, 1}, new int[] {1, 1, 1}, 1, 7, degradations);
            case "small" -> presetRow(16, new int[] {1, 2, 2, 2}, new int[] {2, 2, 1}, 1, 11, degradations);
            case "paper" -> presetRow(32, new int[] {2, 3, 3, 2}, new int[] {3, 3, 2}, 2, 11, degradations);
            default -> throw new BadNetInputException(
                    "unknown preset '" + name + "'; choose one of " + String.join(", ", PRESETS));
        };
    }

    /** One row of the spec's preset table; heads 1,2,4,8, ffn 2.66, rank ratio 4, the paper's defaults. */
    private static NetConfig presetRow(
            int dim, int[] encBlocks, int[] decBlocks, int refineBlocks, int kernel, int degradations) {
        return new NetConfig(
                dim,
                encBlocks,
                decBlocks,
                refineBlocks,
                new int[] {1, 2, 4, 8},
                2.66,
                4,
                kernel,
                degradations,
                true,
                true,
                0.1,
                0.999);
    }

    /**
     * Reads {@code daair.net}: the {@code preset} with {@code degradations} first, then every explicit key
     * overrides the preset's value. Errors are {@link ConfigException.BadValue} naming the key and its origin.
     */
    public static NetConfig fromConfig(Config root) {
        Config c = root.getConfig("daair.net");
        for (String key : c.root().keySet()) {
            if (!KEYS.contains(key)) {
                throw new ConfigException.BadValue(
                        c.origin(), "daair.net." + key, "unknown key; known keys are " + KEYS);
            }
        }
        int e = c.getInt("degradations");
        String presetName = c.getString("preset");
        NetConfig p;
        try {
            p = preset(presetName, PRESETS.contains(presetName) && (e == 3 || e == 5) ? e : 3);
        } catch (BadNetInputException ex) {
            throw bad(c, "preset", ex.getMessage());
        }
        try {
            return new NetConfig(
                    c.hasPath("dim") ? c.getInt("dim") : p.dim(),
                    c.hasPath("enc-blocks") ? ints(c, "enc-blocks") : p.encBlocks(),
                    c.hasPath("dec-blocks") ? ints(c, "dec-blocks") : p.decBlocks(),
                    c.hasPath("refine-blocks") ? c.getInt("refine-blocks") : p.refineBlocks(),
                    c.hasPath("heads") ? ints(c, "heads") : p.heads(),
                    c.hasPath("ffn-factor") ? c.getDouble("ffn-factor") : p.ffnFactor(),
                    c.hasPath("rank-ratio") ? c.getInt("rank-ratio") : p.rankRatio(),
                    c.hasPath("kernel") ? c.getInt("kernel") : p.kernel(),
                    e,
                    c.getBoolean("use-experts"),
                    c.getBoolean("use-controller"),
                    c.getDouble("aux-loss-weight"),
                    c.getDouble("ema-sigma"));
        } catch (BadNetInputException ex) {
            throw bad(c, keyOf(ex.getMessage()), ex.getMessage());
        }
    }

    /** Channels at level l (0-based). */
    public static int channels(int dim, int level) {
        return dim << level;
    }

    /** Channels at level l (0-based). */
    public int channels(int level) {
        return channels(dim, level);
    }

    /** Expert rank r at level l. */
    public int rank(int level) {
        return channels(level) / rankRatio;
    }

    /** GDFN hidden width for C channels: floor(C * ffnFactor). */
    public int ffnHidden(int c) {
        return (int) Math.floor(c * ffnFactor);
    }

    /** DecoderBlocks at level l (0-based, like {@code dec.l}). */
    public int decBlocksAt(int level) {
        return decBlocks[LEVELS - 2 - level];
    }

    @Override
    public int[] encBlocks() {
        return encBlocks.clone();
    }

    @Override
    public int[] decBlocks() {
        return decBlocks.clone();
    }

    @Override
    public int[] heads() {
        return heads.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetConfig n
                && dim == n.dim
                && Arrays.equals(encBlocks, n.encBlocks)
                && Arrays.equals(decBlocks, n.decBlocks)
                && refineBlocks == n.refineBlocks
                && Arrays.equals(heads, n.heads)
                && Double.compare(ffnFactor, n.ffnFactor) == 0
                && rankRatio == n.rankRatio
                && kernel == n.kernel
                && degradations == n.degradations
                && useExperts == n.useExperts
                && useController == n.useController
                && Double.compare(auxLossWeight, n.auxLossWeight) == 0
                && Double.compare(emaSigma, n.emaSigma) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new Object[] {
            dim,
            Arrays.hashCode(encBlocks),
            Arrays.hashCode(decBlocks),
            refineBlocks,
            Arrays.hashCode(heads),
            ffnFactor,
            rankRatio,
            kernel,
            degradations,
            useExperts,
            useController,
            auxLossWeight,
            emaSigma
        });
    }

    @Override
    public String toString() {
        return "NetConfig[dim=" + dim + ", encBlocks=" + Arrays.toString(encBlocks) + ", decBlocks="
                + Arrays.toString(decBlocks) + ", refineBlocks=" + refineBlocks + ", heads=" + Arrays.toString(heads)
                + ", ffnFactor=" + ffnFactor + ", rankRatio=" + rankRatio + ", kernel=" + kernel + ", degradations="
                + degradations + ", useExperts=" + useExperts + ", useController=" + useController
                + ", auxLossWeight=" + auxLossWeight + ", emaSigma=" + emaSigma + "]";
    }

    private static int[] copyOf(String field, int[] values, int n) {
        require(
                values != null && values.length == n,
                field + " must have " + n + " values, got " + (values == null ? "null" : Arrays.toString(values)));
        return values.clone();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new BadNetInputException(message);
        }
    }

    private static int[] ints(Config c, String key) {
        return c.getIntList(key).stream().mapToInt(Integer::intValue).toArray();
    }

    private static ConfigException.BadValue bad(Config c, String key, String message) {
        var origin = c.hasPath(key) ? c.getValue(key).origin() : c.origin();
        return new ConfigException.BadValue(origin, "daair.net." + key, message);
    }

    /** Maps a validation message's field name (camelCase, first word) to its HOCON key. */
    private static String keyOf(String message) {
        String field = message.split("[ \\[]", 2)[0];
        return switch (field) {
            case "encBlocks" -> "enc-blocks";
            case "decBlocks" -> "dec-blocks";
            case "refineBlocks" -> "refine-blocks";
            case "ffnFactor" -> "ffn-factor";
            case "rankRatio" -> "rank-ratio";
            case "useController" -> "use-controller";
            case "useExperts" -> "use-experts";
            case "auxLossWeight" -> "aux-loss-weight";
            case "emaSigma" -> "ema-sigma";
            default -> field;
        };
    }
}
