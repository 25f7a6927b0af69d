package io.daair.nn.exec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What a SameDiff session must execute for a set of required variables: the variables, the ops and the ops
 * without inputs, in the order {@code AbstractSession.initSubgraph} found them. M2.1 walks the graph back from
 * the required variables on every call (its "TODO ... cache the results"), through a regular expression per
 * variable name: a quarter of a {@code tiny} training step's time in Java. A graph's structure does not change
 * between calls, so the walk is done once per set of required variables.
 */
final class Subgraphs {

    /** One walk's result. */
    record Subgraph(List<String> variables, List<String> ops, List<String> zeroInputOps) {}

    private final Map<Set<String>, Subgraph> byRequired = new HashMap<>();

    /**
     * Fills the session's three sets for {@code required}: from an earlier walk, or by {@code walk} (the
     * session's own {@code initSubgraph}), whose result is kept.
     */
    synchronized void fill(
            Set<String> required,
            Set<String> variables,
            Set<String> ops,
            Set<String> zeroInputOps,
            Consumer<Set<String>> walk) {
        Subgraph known = byRequired.get(required);
        if (known == null) {
            walk.accept(required);
            byRequired.put(
                    Set.copyOf(required),
                    new Subgraph(List.copyOf(variables), List.copyOf(ops), List.copyOf(zeroInputOps)));
            return;
        }
        variables.addAll(known.variables());
        ops.addAll(known.ops());
        zeroInputOps.addAll(known.zeroInputOps());
    }
}
