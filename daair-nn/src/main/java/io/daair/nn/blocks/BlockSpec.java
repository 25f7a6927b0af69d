package io.daair.nn.blocks;

import io.daair.nn.config.NetConfig;

/**
 * The shapes one U-Net level gives its blocks.
 *
 * @param channels C
 * @param rank expert rank r = C / rank_ratio
 * @param heads attention heads
 * @param kernel expert depthwise kernel K
 * @param experts specialists per DaLe (E)
 * @param ffnHidden GDFN hidden width floor(C * ffn)
 * @param useExperts whether blocks carry a DaLe
 */
public record BlockSpec(int channels, int rank, int heads, int kernel, int experts, int ffnHidden, boolean useExperts) {

    /** The spec of level l (0-based) of a configuration. */
    public static BlockSpec of(NetConfig c, int level) {
        int ch = c.channels(level);
        return new BlockSpec(
                ch, c.rank(level), c.heads()[level], c.kernel(), c.degradations(), c.ffnHidden(ch), c.useExperts());
    }

    /** The same level without a DaLe (refinement blocks). */
    public BlockSpec withoutExperts() {
        return new BlockSpec(channels, rank, heads, kernel, experts, ffnHidden, false);
    }
}
