package io.daair.nn;

import io.daair.nn.blocks.BlockSpec;
import io.daair.nn.config.NetConfig;

/**
 * Parameter counts and multiply-accumulates of a configuration, computed from docs/architecture.md's
 * formulas (not from a built graph, so {@code info} needs no native code). GMACs count convolutions,
 * linears and the two attention matmuls for one image, one specialist per DaLe (top-1 routing).
 *
 * @param trainableParams parameters that take a gradient
 * @param controllerParams controller parameters (EMA only)
 * @param gmacs224 giga multiply-accumulates for one 224x224 image
 */
public record NetStats(long trainableParams, long controllerParams, double gmacs224) {

    /** Trainable plus controller parameters (the spec table's "with controllers"). */
    public long withControllers() {
        return trainableParams + controllerParams;
    }

    /** The counts of {@code c}. */
    public static NetStats of(NetConfig c) {
        Count n = new Count();
        long size = 224;
        n.conv(3, c.dim(), 3, size * size);
        for (int l = 0; l < NetConfig.LEVELS; l++) {
            BlockSpec s = BlockSpec.of(c, l);
            long hw = (size >> l) * (size >> l);
            for (int i = 0; i < c.encBlocks()[l]; i++) {
                encoderBlock(n, s, hw);
            }
        }
        for (int l = 0; l < NetConfig.LEVELS - 1; l++) {
            BlockSpec s = BlockSpec.of(c, l);
            int ch = s.channels();
            long hw = (size >> l) * (size >> l);
            long deeperHw = (size >> (l + 1)) * (size >> (l + 1));
            n.conv(ch, ch / 2, 3, hw); // down
            n.conv(2 * ch, 4 * ch, 3, deeperHw); // up
            n.conv(2 * ch, ch, 1, hw); // fuse
            for (int i = 0; i < c.decBlocksAt(l); i++) {
                if (c.useController()) {
                    decoderBlock(n, s, hw);
                } else {
                    encoderBlock(n, s, hw);
                }
            }
        }
        for (int i = 0; i < c.refineBlocks(); i++) {
            encoderBlock(n, BlockSpec.of(c, 0).withoutExperts(), size * size);
        }
        n.conv(c.dim(), 3, 3, size * size);
        return new NetStats(n.params, n.frozen, n.macs / 1e9);
    }

    private static void encoderBlock(Count n, BlockSpec s, long hw) {
        int c = s.channels();
        n.params += 4L * c; // two LayerNorms
        if (s.useExperts()) {
            dale(n, s, hw);
        }
        n.conv(c, 3 * c, 1, hw);
        n.depthwise(3 * c, 3, hw);
        attentionAndProj(n, s, hw);
        gdfn(n, s, hw);
    }

    private static void decoderBlock(Count n, BlockSpec s, long hw) {
        int c = s.channels();
        n.params += 4L * c;
        dale(n, s, hw);
        Count controller = new Count();
        expert(controller, s, hw);
        n.frozen += controller.params;
        n.macs += controller.macs;
        n.conv(c, 2 * c, 1, hw); // qv
        n.depthwise(2 * c, 3, hw);
        n.conv(s.rank(), c, 1, hw); // k
        n.depthwise(c, 3, hw);
        attentionAndProj(n, s, hw);
        gdfn(n, s, hw);
    }

    private static void attentionAndProj(Count n, BlockSpec s, long hw) {
        int c = s.channels();
        n.params += s.heads(); // temperature
        n.macs += 2L * c * (c / s.heads()) * hw; // q k^T and attn v
        n.conv(c, c, 1, hw);
    }

    private static void gdfn(Count n, BlockSpec s, long hw) {
        int c = s.channels();
        int hidden = s.ffnHidden();
        n.conv(c, 2 * hidden, 1, hw);
        n.depthwise(2 * hidden, 3, hw);
        n.conv(hidden, c, 1, hw);
    }

    private static void dale(Count n, BlockSpec s, long hw) {
        int c = s.channels();
        int e = s.experts();
        n.params += (long) e * c + e; // router
        n.macs += (long) e * c;
        expert(n, s, hw); // agnostic
        Count specialist = new Count();
        expert(specialist, s, hw);
        n.params += e * specialist.params;
        n.macs += specialist.macs; // one specialist per image
        n.conv(s.rank(), c, 1, hw); // up
    }

    private static void expert(Count n, BlockSpec s, long hw) {
        int r = s.rank();
        n.conv(s.channels(), r, 1, hw);
        n.conv(r, r, 1, hw);
        n.depthwise(r, s.kernel(), hw);
        n.conv(r, r, 1, hw);
        n.conv(r, r, 1, hw);
    }

    /** Running totals. */
    private static final class Count {
        long params;
        long frozen;
        long macs;

        void conv(int in, int out, int k, long hw) {
            long p = (long) in * out * k * k;
            params += p;
            macs += p * hw;
        }

        void depthwise(int channels, int k, long hw) {
            long p = (long) channels * k * k;
            params += p;
            macs += p * hw;
        }
    }
}
