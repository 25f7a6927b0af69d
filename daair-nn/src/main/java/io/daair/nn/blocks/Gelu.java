package io.daair.nn.blocks;

import io.daair.nn.graph.Graph;
import io.daair.nn.ops.GeluOp;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Exact GELU {@code 0.5 x (1 + erf(x / sqrt 2))} (docs/architecture.md, "Blocks"), one {@link GeluOp}; SameDiff's
 * gelu is the tanh approximation.
 */
public final class Gelu {

    private Gelu() {}

    public static SDVariable apply(Graph g, SDVariable x) {
        return new GeluOp(g.sd(), x).outputVariable();
    }

    /** The GDFN's gate {@code gelu(x) * gate}, x and gate of one shape. */
    public static SDVariable gated(Graph g, SDVariable x, SDVariable gate) {
        return new GeluOp(g.sd(), x, gate).outputVariable();
    }
}
