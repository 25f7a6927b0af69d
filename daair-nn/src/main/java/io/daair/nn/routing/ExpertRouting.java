package io.daair.nn.routing;

import io.daair.nn.graph.Graph;
import io.daair.nn.ops.JavaOps;
import io.daair.nn.ops.SampleScaleOp;
import java.util.function.BiFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Top-1 expert routing as one named operation (paper Sec. 3.2; docs/architecture.md, "Degradation-aware Learner
 * (DaLe)"):
 * {@link #route} turns router logits into each sample's expert and gate, {@link #dispatch} splits the
 * batch by expert, each specialist computes on its own sub-batch only, and {@link #combine} merges the
 * results back in batch order, weighted by the gate. Any batch composition works, including experts
 * that receive no sample (their sub-batch has 0 rows).
 *
 * <p>{@code route} is built from SameDiff ops with working backward passes in M2.1: argmax +
 * oneHot for top-1 and its gate (topK has no backward). {@code dispatch} and {@code combine} are two custom ops,
 * {@link DispatchOp} and {@link CombineOp}, each the other's backward, computed in Java and made runnable in
 * this JVM by {@link #installOps()} (run when this class loads). The gradient reaches the specialists
 * through them and the router through the gate.
 *
 * <p><b>Why custom ops</b> (chosen on evidence: every candidate was built and measured in
 * {@code RoutingOpCandidatesTest}, M2.1 on 2 shared cores):
 *
 * <ul>
 *   <li><i>SameDiff's function mechanism</i> ({@code sd.invoke(InvokeParams)} running a sub-graph registered
 *       with {@code putSubFunction}, op {@code org.nd4j.linalg.api.ops.custom.Invoke}): runs forward in the
 *       graph that built it, and nothing else. The gradient build copies the graph through FlatBuffers, where
 *       {@code invoke} is no known op ("No op known for hash: 7328925643159430688 and name invoke"; put into
 *       ImportClassMapping by hand, the copy loses the function: "No function of null found!"), a saved graph
 *       fails to load the same way, and {@code Invoke} has no {@code doDiff} anyway.
 *   <li><i>A composition of existing ops</i> (the previous implementation: dynamicPartition/dynamicStitch on
 *       tensors flattened to (B, -1), plus a zero row routed to an extra partition because M2.1's
 *       dynamicPartition mis-shapes a single-row input and corrupts native memory): gradient-checked and
 *       needs nothing in any JVM, but 55 SameDiff ops against 16, and slower: routing alone (B = 8, C = 16,
 *       64x64, medians of {@code daair bench routing --steps 31}) forward 40 ms vs 30 ms, forward+backward
 *       254 ms vs 132 ms (rerun 27 Nov: 245-260 vs 99-104 ms twice, 82 vs 87 ms once); a tiny training step
 *       (B = 8, 64x64 crops) 3.0-3.6 vs 2.4-2.6 CPU s, peak RSS 1.8-2.7 vs 1.6 GB.
 *   <li><i>The custom pair</i>: correct (hand-computed outputs, an empty expert, a batch of one), passes the
 *       double-precision gradient check, survives save/load and FlatBuffers bit-identically, and trains on a
 *       standalone Spark cluster with no JVM flag. Its price is the dependency on two ND4J internals
 *       ({@link JavaOps}): a JVM that has not run {@link #installOps()}, such as another SameDiff
 *       program reading our checkpoints, cannot load, differentiate or run a graph holding them (weights are
 *       exchanged as safetensors, which do not depend on it); the CUDA backend is untested with them.
 */
public final class ExpertRouting {

    /**
     * The routing decision.
     *
     * @param probabilities softmax of the logits (B, E)
     * @param index top-1 expert per sample (B), INT, lowest index on ties
     * @param gate probability of the chosen expert (B), differentiable
     */
    public record Route(SDVariable probabilities, SDVariable index, SDVariable gate) {}

    static {
        installOps();
    }

    /** Makes this JVM able to run, differentiate and load graphs holding the routing ops (idempotent). */
    public static void installOps() {
        JavaOps.install();
        JavaOps.register(new DispatchOp(), new CombineOp());
    }

    private ExpertRouting() {}

    /**
     * The whole operation: {@code out_b = gate_b * specialist_{k_b}(x_b)}.
     *
     * @param x input (B, H, W, C), the NHWC view of the features (any rank-4 layout works: only axis 0 is split)
     * @param logits router logits (B, E)
     * @param specialist builds specialist e on its sub-batch (n_e, H, W, C), returning (n_e, H, W, C')
     * @return (B, H, W, C'), C' the specialists' output channels
     */
    public static SDVariable apply(
            Graph g,
            SDVariable x,
            SDVariable logits,
            int experts,
            BiFunction<Integer, SDVariable, SDVariable> specialist) {
        Route route = route(g, logits, experts);
        SDVariable[] parts = dispatch(g, x, route, experts);
        SDVariable[] outs = new SDVariable[experts];
        for (int e = 0; e < experts; e++) {
            outs[e] = specialist.apply(e, parts[e]);
        }
        return combine(g, outs, route);
    }

    /** Top-1 expert (argmax, lowest index on ties) and its softmax probability as the gate. */
    public static Route route(Graph g, SDVariable logits, int experts) {
        SameDiff sd = g.sd();
        SDVariable p = sd.nn().softmax(logits, 1); // [B, E]
        SDVariable index = sd.argmax(logits, 1).castTo(DataType.INT32); // [B]
        SDVariable mask = sd.oneHot(index, experts, -1, 1.0, 0.0, g.type()); // [B, E]
        SDVariable gate = p.mul(mask).sum(1); // [B]
        return new Route(p, index, gate);
    }

    /** Splits x (B, H, W, C) into E sub-batches (n_e, H, W, C) in batch order. */
    public static SDVariable[] dispatch(Graph g, SDVariable x, Route route, int experts) {
        return new DispatchOp(g.sd(), x, route.index(), experts).outputVariables(); // E x [n_e, H, W, C]
    }

    /** Merges the specialists' outputs (n_e, H, W, C') back in batch order and multiplies by the gate. */
    public static SDVariable combine(Graph g, SDVariable[] outs, Route route) {
        SDVariable merged = new CombineOp(g.sd(), outs, route.index()).outputVariable(); // [B, H, W, C']
        return new SampleScaleOp(g.sd(), merged, route.gate()).outputVariable();
    }
}
