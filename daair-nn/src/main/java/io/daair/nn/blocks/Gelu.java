package io.daair.nn.blocks;

import io.daair.nn.graph.Graph;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Exact GELU {@code 0.5 x (1 + erf(x / sqrt 2))} (docs/architecture.md, "Blocks"); SameDiff's gelu is the tanh
 * approximation.
 */
public final class Gelu {

    private Gelu() {}

    public static SDVariable apply(Graph g, SDVariable x) {
        SDVariable erf = g.sd().math().erf(x.mul(1.0 / Math.sqrt(2.0)));
        return x.mul(0.5).mul(erf.add(1.0));
    }
}
