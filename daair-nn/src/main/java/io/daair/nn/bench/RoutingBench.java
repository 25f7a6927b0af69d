package io.daair.nn.bench;

import io.daair.nn.graph.Graph;
import io.daair.nn.routing.ExpertRouting;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The routing op against the candidate it replaced ({@code daair bench routing}): {@link ExpertRouting}'s
 * custom dispatch/combine pair and the previous composition of libnd4j ops (dynamicPartition/dynamicStitch),
 * each routing a batch among three specialists in a one-block graph. {@code RoutingOpCandidatesTest} checks
 * that both compute the same values and gradients; the figures are in {@link ExpertRouting}'s Javadoc.
 */
public final class RoutingBench {

    /** Specialists in the benchmark graph. */
    public static final int EXPERTS = 3;

    /** The weights whose gradients are computed. */
    public static final String[] WEIGHTS = {"x.weight", "logits.weight", "s0.scale", "s1.scale", "s2.scale"};

    private RoutingBench() {}

    /**
     * dynamicPartition on (B, -1) rows; a zero row routed to an extra partition E is appended first, because
     * M2.1's dynamicPartition mis-shapes a single-row input and writes past its buffer.
     */
    private static SDVariable[] compositionDispatch(Graph g, SDVariable x, ExpertRouting.Route route) {
        SameDiff sd = g.sd();
        SDVariable flat = sd.reshape(x, sd.concat(0, g.dims(x, 0, 1), g.longs(-1))); // [B, C*H*W]
        SDVariable padded = sd.concat(0, flat, sd.zerosLike(sd.slice(flat, new int[] {0, 0}, 1, -1))); // [B+1, C*H*W]
        SDVariable[] parts = sd.dynamicPartition(padded, withDummy(sd, route), EXPERTS + 1); // E+1 x [n_e, C*H*W]
        SDVariable sampleShape = sd.concat(0, g.longs(-1), g.dims(x, 1, 3));
        SDVariable[] out = new SDVariable[EXPERTS];
        for (int e = 0; e < EXPERTS; e++) {
            out[e] = sd.reshape(parts[e], sampleShape); // [n_e, C, H, W]
        }
        return out;
    }

    private static SDVariable withDummy(SameDiff sd, ExpertRouting.Route route) {
        return sd.concat(0, route.index(), sd.constant(Nd4j.createFromArray(new int[] {EXPERTS}))); // [B+1]
    }

    /** dynamicStitch of the parts at their batch positions (a cumsum partitioned like the rows). */
    private static SDVariable compositionCombine(
            Graph g, SDVariable[] outs, ExpertRouting.Route route, SDVariable like, int channels) {
        SameDiff sd = g.sd();
        SDVariable index = withDummy(sd, route); // [B+1]
        SDVariable ones = sd.onesLike(index.castTo(g.type())); // cumsum has no integer kernel
        SDVariable positions = sd.cumsum(ones, true, false, 0).castTo(DataType.INT32); // [B+1]: 0, 1, ..., B
        SDVariable[] indices = sd.dynamicPartition(positions, index, EXPERTS + 1); // E+1 x [n_e]
        SDVariable rowSize =
                sd.prod(sd.concat(0, g.longs(channels), g.dims(like, 2, 2)), 0).reshape(1);
        SDVariable rowShape = sd.concat(0, g.longs(-1), rowSize);
        SDVariable[] flat = new SDVariable[EXPERTS + 1];
        for (int e = 0; e < EXPERTS; e++) {
            flat[e] = sd.reshape(outs[e], rowShape); // [n_e, C*H*W]
        }
        // the dummy row, zeros [1, C*H*W] (create makes FLOAT whatever type it is given: cast)
        flat[EXPERTS] = sd.create(null, sd.concat(0, g.longs(1), rowSize), g.type(), "c", true)
                .castTo(g.type());
        SDVariable stitched = sd.dynamicStitch(indices, flat); // [B+1, C*H*W]
        SDVariable batch = g.dims(like, 0, 1);
        SDVariable kept = sd.slice(
                stitched,
                g.longs(0, 0).castTo(DataType.INT32),
                sd.concat(0, batch, g.longs(-1)).castTo(DataType.INT32)); // [B, C*H*W]
        SDVariable merged =
                sd.reshape(kept, sd.concat(0, batch, g.longs(channels), g.dims(like, 2, 2))); // [B, C, H, W]
        return merged.mul(sd.reshape(route.gate(), -1, 1, 1, 1));
    }

    /**
     * {@code out = routing(x * x.weight, logits * logits.weight)} (weights of 1, so that gradients flow back
     * through dispatch and the gate), specialist e multiplying by a (1, C, 1, 1) parameter {@code s<e>.scale};
     * loss {@code sum(out)}.
     */
    public static SameDiff graph(boolean composition, DataType type, int channels) {
        SameDiff sd = SameDiff.create();
        Graph g = new Graph(sd, type, 1);
        SDVariable x = sd.placeHolder("x", type, -1, channels, -1, -1).mul(sd.var("x.weight", Nd4j.scalar(type, 1)));
        SDVariable logits =
                sd.placeHolder("logits", type, -1, EXPERTS).mul(sd.var("logits.weight", Nd4j.scalar(type, 1)));
        BiFunction<Integer, SDVariable, SDVariable> specialist =
                (e, sub) -> sub.mul(g.uniform("s" + e + ".scale", 1, 1, channels, 1, 1));
        SDVariable out;
        if (composition) {
            ExpertRouting.Route route = ExpertRouting.route(g, logits, EXPERTS);
            SDVariable[] parts = compositionDispatch(g, x, route);
            SDVariable[] outs = new SDVariable[EXPERTS];
            for (int e = 0; e < EXPERTS; e++) {
                outs[e] = specialist.apply(e, parts[e]);
            }
            out = compositionCombine(g, outs, route, x, channels);
        } else {
            out = ExpertRouting.apply(g, x, logits, EXPERTS, specialist);
        }
        out.rename("out");
        sd.setLossVariables(out.sum("loss"));
        return sd;
    }

    /** The placeholders of {@link #graph}: images x (B, C, H, W) and router logits (B, E), in x's type. */
    public static Map<String, INDArray> feed(INDArray x, double[][] logits) {
        return Map.of("x", x, "logits", Nd4j.createFromArray(logits).castTo(x.dataType()));
    }

    private static double medianMillis(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1e6;
    }

    /**
     * Forward and forward+backward (every weight) of the custom ops and the composition, interleaved, medians
     * over {@code rounds} after 10 warm-up rounds.
     */
    public static void run(int rounds, PrintWriter out) {
        String[] modes = {"custom ops", "composition"};
        for (int[] size : new int[][] {{8, 8, 16}, {8, 16, 64}}) { // B, C, H = W
            Nd4j.getRandom().setSeed(7);
            double[][] logits = Nd4j.rand(DataType.DOUBLE, size[0], EXPERTS).toDoubleMatrix();
            Map<String, INDArray> feed = feed(Nd4j.rand(DataType.FLOAT, size[0], size[1], size[2], size[2]), logits);
            SameDiff[] graphs = {graph(false, DataType.FLOAT, size[1]), graph(true, DataType.FLOAT, size[1])};
            long[][] forward = new long[2][rounds];
            long[][] both = new long[2][rounds];
            for (int r = -10; r < rounds; r++) { // 10 warm-up rounds
                for (int m = 0; m < 2; m++) {
                    long t0 = System.nanoTime();
                    graphs[m].output(feed, "out");
                    long t1 = System.nanoTime();
                    graphs[m].calculateGradients(feed, WEIGHTS);
                    long t2 = System.nanoTime();
                    if (r >= 0) {
                        forward[m][r] = t1 - t0;
                        both[m][r] = t2 - t1;
                    }
                }
            }
            for (int m = 0; m < 2; m++) {
                out.printf(
                        Locale.ROOT,
                        "bench B=%d C=%d %dx%d %-12s %2d ops: forward %.2f ms, forward+backward %.2f ms%n",
                        size[0],
                        size[1],
                        size[2],
                        size[2],
                        modes[m],
                        graphs[m].getOps().size(),
                        medianMillis(forward[m]),
                        medianMillis(both[m]));
            }
        }
        out.flush();
    }
}
