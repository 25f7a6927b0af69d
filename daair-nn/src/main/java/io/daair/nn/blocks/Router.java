package io.daair.nn.blocks;

import io.daair.nn.graph.Graph;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The DaLe router (docs/architecture.md, "Degradation-aware Learner"): {@code Linear_{C->E}} of the
 * spatial mean; weight {@code prefix.weight} (E, C) and {@code prefix.bias} (E), PyTorch's layout.
 */
public final class Router {

    private Router() {}

    /** Suffix of the logits variable's name ({@code prefix.logits}), which the trainer reads. */
    public static final String LOGITS = ".logits";

    /** image: a (B, H, W, C) NHWC view of the features; returns the logits (B, E), named {@code prefix.logits}. */
    public static SDVariable apply(Graph g, String prefix, SDVariable image, int c, int experts) {
        SDVariable w = g.uniform(prefix + ".weight", c, experts, c);
        SDVariable b = g.uniform(prefix + ".bias", c, experts);
        SDVariable pooled = image.mean(1, 2); // [B, C]
        return g.sd().mmul(pooled, w, false, true, false).add(prefix + LOGITS, b); // [B, E]
    }
}
