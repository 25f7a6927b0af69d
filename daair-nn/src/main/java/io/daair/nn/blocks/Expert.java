package io.daair.nn.blocks;

import io.daair.nn.graph.Graph;
import io.daair.nn.graph.Level;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * One expert of the DaLe (docs/architecture.md, "Degradation-aware Learner"; Conv2Former's convolutional
 * modulation in rank space): {@code u = down(a)}, {@code out(a_dw(GELU(a(u))) * v(u))}, all 1x1 but
 * {@code a_dw} (K x K depthwise); no biases. Agnostic experts, specialists and controllers share it.
 */
public final class Expert {

    /** Parameter suffixes in the spec's order. */
    public static final List<String> PARTS = List.of("down", "a", "a_dw", "v", "out");

    /** Where an expert's weights come from: trainable parameters or the controller's frozen copies. */
    @FunctionalInterface
    public interface Weights {
        /**
         * @param name full parameter name
         * @param fanIn for the initialisation bound
         * @param shape YXIO shape
         */
        SDVariable get(String name, int fanIn, long... shape);
    }

    private Expert() {}

    /** A trainable expert. a: pixel rows [B*H*W, C] at {@code level}; returns [B*H*W, r]. */
    public static SDVariable apply(Graph g, Level level, String prefix, SDVariable a, BlockSpec s) {
        return apply(g, level, prefix, a, s, g::uniform);
    }

    /** An expert whose weights come from {@code w}. */
    public static SDVariable apply(Graph g, Level level, String prefix, SDVariable a, BlockSpec s, Weights w) {
        int c = s.channels();
        int r = s.rank();
        int k = s.kernel();
        SDVariable u = g.pointwise(a, w.get(prefix + ".down.weight", c, 1, 1, c, r)); // [N, r]
        SDVariable gate = g.pointwise(u, w.get(prefix + ".a.weight", r, 1, 1, r, r));
        SDVariable modulator =
                g.depthwise(level, Gelu.apply(g, gate), w.get(prefix + ".a_dw.weight", k * k, k, k, r, 1), r, k);
        SDVariable value = g.pointwise(u, w.get(prefix + ".v.weight", r, 1, 1, r, r));
        return g.pointwise(modulator.mul(value), w.get(prefix + ".out.weight", r, 1, 1, r, r)); // [N, r]
    }
}
