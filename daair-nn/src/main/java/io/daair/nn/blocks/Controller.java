package io.daair.nn.blocks;

import io.daair.nn.graph.Graph;
import io.daair.nn.graph.Level;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The decoder's Controller (docs/architecture.md, "Controller and its EMA"): an {@link Expert} shaped like
 * the level's agnostic experts whose weights are SameDiff constants (no gradient), initialised to the
 * mean of those agnostic experts and moved after every optimizer step by the trainer's EMA.
 */
public final class Controller {

    private Controller() {}

    /**
     * @param a pixel rows [B*H*W, C] at {@code level}; returns [B*H*W, r]
     * @param agnosticPrefixes prefixes of the encoder's agnostic experts at this level (e.g.
     *     {@code enc.1.0.dale.agnostic}), already built
     */
    public static SDVariable apply(
            Graph g, Level level, String prefix, SDVariable a, BlockSpec s, List<String> agnosticPrefixes) {
        return Expert.apply(g, level, prefix, a, s, (name, fanIn, shape) -> {
            String suffix = name.substring(prefix.length());
            INDArray mean = null;
            for (String p : agnosticPrefixes) {
                INDArray w = g.sd().getVariable(p + suffix).getArr();
                mean = mean == null ? w.dup() : mean.addi(w);
            }
            return g.frozen(name, mean.divi(agnosticPrefixes.size()));
        });
    }
}
