package io.daair.nn.routing;

import io.daair.nn.blocks.Graph;
import java.util.function.BiFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Top-1 expert routing as one named operation (paper Sec. 3.2; architecture spec, "DaLe"):
 * {@link #route} turns router logits into each sample's expert and gate, {@link #dispatch} splits the
 * batch by expert, each specialist computes on its own sub-batch only, and {@link #combine} merges the
 * results back in batch order, weighted by the gate. Any batch composition works, including experts
 * that receive no sample (their sub-batch has 0 rows).
 *
 * <p>Built from SameDiff ops that have working forward and backward passes in M2.1 (stack notes):
 * argmax + oneHot for top-1 and its gate (topK has no backward), dynamicPartition/dynamicStitch on
 * tensors flattened to (B, -1) (on rank 4 they give wrong shapes). The gradient reaches the
 * specialists through stitch/partition and the router through the gate.
 *
 * <p><b>Why a composition of existing ops and not a custom op</b> (issue 3 asks to choose on evidence; both
 * candidates were built and measured in {@code RoutingOpCandidatesTest}, M2.1 on 2 shared cores):
 *
 * <ul>
 *   <li><i>SameDiff's function mechanism</i> ({@code sd.invoke(InvokeParams)} running a sub-graph registered
 *       with {@code putSubFunction}, op {@code org.nd4j.linalg.api.ops.custom.Invoke}): runs forward in the
 *       graph that built it, and nothing else. The gradient build copies the graph through FlatBuffers, where
 *       {@code invoke} is no known op ("No op known for hash: 7328925643159430688 and name invoke"; put into
 *       ImportClassMapping by hand, the copy loses the function: "No function of null found!"), a saved graph
 *       fails to load the same way, and {@code Invoke} has no {@code doDiff} anyway.
 *   <li><i>A Java {@code DynamicCustomOp} pair</i> ({@code daair_dispatch} / {@code daair_combine}, each the
 *       other's backward, rows copied in Java): correct (hand-computed outputs, an empty expert, a batch of
 *       one without the dummy row below), passes the double-precision gradient check, survives save/load and
 *       FlatBuffers bit-identically, and is faster: routing alone (B = 8, C = 16, 64x64, medians) forward
 *       30 ms vs 40 ms, forward+backward 132 ms vs 254 ms; a tiny training step (B = 8, 64x64 crops) 2.4-2.6
 *       vs 3.0-3.6 CPU s, peak RSS 1.6 vs 1.8-2.7 GB. With it in place of this composition (in a scratch
 *       copy) the whole daair-nn suite and TrainClusterIT (separate executor JVMs, one killed) pass. But it
 *       runs only in a JVM prepared through ND4J internals: SameDiff executes a custom op by its libnd4j hash
 *       ("Op name daair_dispatch is missing!"), so Nd4j's private executioner field must be replaced by one
 *       that computes Java ops (or {@code -Dopexec=<executioner subclass>}, one per backend, in every JVM's
 *       flags), and the op classes must be in {@code ImportClassMapping.getOpNameMapping()} before any
 *       gradient build or load ("No op known for hash: 0 and name daair_dispatch"). Our code can do that
 *       itself in every JVM (the cluster run did, with no flag); another program reading our checkpoints
 *       cannot, and the CUDA backend is untested with it.
 *   <li><i>This composition</i>: only standard libnd4j ops (argmax, oneHot, dynamicPartition,
 *       dynamicStitch, cumsum, reshape), all with backward passes; gradient-checked in double precision with
 *       an empty expert ({@code GradientCheckTest.routingWithAnEmptyExpert}); survives SameDiff save/load
 *       unchanged (checkpoint round-trip test, bit-identical outputs) and needs nothing in any JVM. It is
 *       what the network uses; the custom pair would trade that independence from ND4J internals for the
 *       speed above.
 * </ul>
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

    private ExpertRouting() {}

    /**
     * The whole operation: {@code out_b = gate_b * specialist_{k_b}(x_b)}.
     *
     * @param x input (B, C, H, W)
     * @param logits router logits (B, E)
     * @param outChannels channels every specialist returns
     * @param specialist builds specialist e on its sub-batch (n_e, C, H, W)
     * @return (B, outChannels, H, W)
     */
    public static SDVariable apply(
            Graph g,
            SDVariable x,
            SDVariable logits,
            int experts,
            int outChannels,
            BiFunction<Integer, SDVariable, SDVariable> specialist) {
        Route route = route(g, logits, experts);
        SDVariable[] parts = dispatch(g, x, route, experts);
        SDVariable[] outs = new SDVariable[experts];
        for (int e = 0; e < experts; e++) {
            outs[e] = specialist.apply(e, parts[e]);
        }
        return combine(g, outs, route, x, outChannels);
    }

    /** Top-1 expert (argmax, lowest index on ties) and its softmax probability as the gate. */
    public static Route route(Graph g, SDVariable logits, int experts) {
        SameDiff sd = g.sd();
        SDVariable p = sd.nn().softmax(logits, 1); // [B, E]
        SDVariable index = sd.argmax(logits, 1).castTo(DataType.INT); // [B]
        SDVariable mask = sd.oneHot(index, experts, -1, 1.0, 0.0, g.type()); // [B, E]
        SDVariable gate = p.mul(mask).sum(1); // [B]
        return new Route(p, index, gate);
    }

    /**
     * Splits x (B, C, H, W) into E sub-batches (n_e, C, H, W) in batch order.
     *
     * <p>A zero row routed to an extra partition E is appended first: M2.1's dynamicPartition returns
     * (n_e, 1) instead of (n_e, N) when its input has a single row, and writes past the buffer (a JVM
     * crash later). With the extra row the input always has at least two rows; partition E is dropped.
     */
    public static SDVariable[] dispatch(Graph g, SDVariable x, Route route, int experts) {
        SameDiff sd = g.sd();
        SDVariable flat = sd.reshape(x, sd.concat(0, g.dims(x, 0, 1), g.longs(-1))); // [B, C*H*W]
        SDVariable padded = sd.concat(0, flat, sd.zerosLike(sd.slice(flat, new int[] {0, 0}, 1, -1))); // [B+1, C*H*W]
        SDVariable[] parts =
                sd.dynamicPartition(padded, withDummy(sd, route, experts), experts + 1); // E+1 x [n_e, C*H*W]
        SDVariable sampleShape = sd.concat(0, g.longs(-1), g.dims(x, 1, 3));
        SDVariable[] out = new SDVariable[experts];
        for (int e = 0; e < experts; e++) {
            out[e] = sd.reshape(parts[e], sampleShape); // [n_e, C, H, W]
        }
        return out;
    }

    /** The routing index with the dummy row's partition E appended: [B+1]. */
    private static SDVariable withDummy(SameDiff sd, Route route, int experts) {
        return sd.concat(0, route.index(), sd.constant(Nd4j.createFromArray(new int[] {experts})));
    }

    /**
     * Merges the specialists' outputs (n_e, outChannels, H, W) back in batch order and multiplies by the
     * gate; {@code like} is the dispatched input, for B, H and W.
     */
    public static SDVariable combine(Graph g, SDVariable[] outs, Route route, SDVariable like, int outChannels) {
        SameDiff sd = g.sd();
        int experts = outs.length;
        SDVariable index = withDummy(sd, route, experts); // [B+1], as in dispatch
        SDVariable ones = sd.onesLike(index.castTo(g.type())); // cumsum has no integer kernel
        SDVariable positions = sd.cumsum(ones, true, false, 0).castTo(DataType.INT); // [B+1]: 0, 1, ..., B
        SDVariable[] indices = sd.dynamicPartition(positions, index, experts + 1); // E+1 x [n_e]
        SDVariable rowSize = sd.prod(sd.concat(0, g.longs(outChannels), g.dims(like, 2, 2)), 0)
                .reshape(1);
        SDVariable rowShape = sd.concat(0, g.longs(-1), rowSize);
        SDVariable[] flat = new SDVariable[experts + 1];
        for (int e = 0; e < experts; e++) {
            flat[e] = sd.reshape(outs[e], rowShape); // [n_e, outChannels*H*W]
        }
        // the dummy row, zeros [1, outChannels*H*W] (create makes FLOAT whatever type it is given: cast)
        flat[experts] = sd.create(null, sd.concat(0, g.longs(1), rowSize), g.type(), "c", true)
                .castTo(g.type());
        SDVariable stitched = sd.dynamicStitch(indices, flat); // [B+1, outChannels*H*W]
        SDVariable batch = g.dims(like, 0, 1);
        SDVariable kept = sd.slice(
                stitched,
                g.longs(0, 0).castTo(DataType.INT),
                sd.concat(0, batch, g.longs(-1)).castTo(DataType.INT)); // [B, outChannels*H*W]
        SDVariable outShape = sd.concat(0, batch, g.longs(outChannels), g.dims(like, 2, 2));
        SDVariable merged = sd.reshape(kept, outShape); // [B, outChannels, H, W]
        return merged.mul(sd.reshape(route.gate(), -1, 1, 1, 1));
    }
}
