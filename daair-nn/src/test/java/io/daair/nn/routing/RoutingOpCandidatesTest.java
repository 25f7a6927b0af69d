package io.daair.nn.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.nn.blocks.Graph;
import java.io.File;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.context.Nd4jContext;
import org.nd4j.imports.converters.ImportClassMapping;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.custom.Invoke;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.exception.ND4JIllegalStateException;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The evidence behind {@link ExpertRouting}'s custom ops (issue 3: "try the real op first, choose on evidence"):
 * the other candidates, measured. The previous composition of libnd4j ops (kept here) computes the same values
 * and gradients more slowly ({@link #bench}, run with {@code -Ddaair.bench=true}); the custom ops fail, with
 * the messages below, in a JVM where {@link RoutingOps#install()} has not run; SameDiff's function mechanism
 * ({@code invoke}) runs forward only.
 */
class RoutingOpCandidatesTest {

    private static final int EXPERTS = 3;
    // 6 samples: experts 0, 2, 0, 2, 0, 0 (expert 1 receives nothing)
    private static final double[][] LOGITS = {{3, 0, 0}, {0, 0, 3}, {3, 0, 0}, {0, 1, 3}, {2, 0, 1}, {3, 1, 0}};

    // ---------------------------------------------------------------- the composition (the previous routing)

    /**
     * dynamicPartition on (B, -1) rows; a zero row routed to an extra partition E is appended first, because
     * M2.1's dynamicPartition mis-shapes a single-row input and writes past its buffer.
     */
    static SDVariable[] compositionDispatch(Graph g, SDVariable x, ExpertRouting.Route route) {
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
    static SDVariable compositionCombine(
            Graph g, SDVariable[] outs, ExpertRouting.Route route, SDVariable like, int channels) {
        SameDiff sd = g.sd();
        SDVariable index = withDummy(sd, route); // [B+1]
        SDVariable ones = sd.onesLike(index.castTo(g.type())); // cumsum has no integer kernel
        SDVariable positions = sd.cumsum(ones, true, false, 0).castTo(DataType.INT); // [B+1]: 0, 1, ..., B
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
                g.longs(0, 0).castTo(DataType.INT),
                sd.concat(0, batch, g.longs(-1)).castTo(DataType.INT)); // [B, C*H*W]
        SDVariable merged =
                sd.reshape(kept, sd.concat(0, batch, g.longs(channels), g.dims(like, 2, 2))); // [B, C, H, W]
        return merged.mul(sd.reshape(route.gate(), -1, 1, 1, 1));
    }

    /**
     * {@code out = routing(x * x.weight, logits * logits.weight)} (weights of 1, so that gradients flow back
     * through dispatch and the gate), specialist e multiplying by a (1, C, 1, 1) parameter {@code s<e>.scale};
     * loss {@code sum(out)}.
     */
    static SameDiff graph(boolean composition, DataType type, int channels) {
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

    private static Map<String, INDArray> feed(INDArray x, double[][] logits) {
        return Map.of("x", x, "logits", Nd4j.createFromArray(logits).castTo(x.dataType()));
    }

    private static final String[] WEIGHTS = {"x.weight", "logits.weight", "s0.scale", "s1.scale", "s2.scale"};

    @Test
    void theCompositionComputesTheSameValuesAndGradients() {
        Map<String, INDArray> feed = feed(Nd4j.rand(DataType.DOUBLE, 6, 4, 3, 3), LOGITS);
        SameDiff ops = graph(false, DataType.DOUBLE, 4);
        SameDiff composition = graph(true, DataType.DOUBLE, 4);
        assertEquals(
                ops.output(feed, "out").get("out"),
                composition.output(feed, "out").get("out"));
        Map<String, INDArray> expected = composition.calculateGradients(feed, WEIGHTS);
        Map<String, INDArray> actual = ops.calculateGradients(feed, WEIGHTS);
        for (String w : WEIGHTS) {
            assertTrue(expected.get(w).equalsWithEps(actual.get(w), 1e-12), w);
        }
    }

    // ---------------------------------------------------------------- the custom ops without RoutingOps.install()

    @Test
    void withoutTheRegistrationAGraphHoldingTheOpsCannotBeLoadedNorDifferentiated(@TempDir Path tmp) {
        SameDiff sd = graph(false, DataType.FLOAT, 4);
        File file = tmp.resolve("routing.sd").toFile();
        sd.save(file, true);
        ImportClassMapping.getOpNameMapping().remove(DispatchOp.NAME);
        try {
            Map<String, INDArray> feed = feed(Nd4j.rand(DataType.FLOAT, 6, 4, 3, 3), LOGITS);
            for (Runnable r :
                    List.<Runnable>of(() -> SameDiff.load(file, true), () -> sd.calculateGradients(feed, "s0.scale"))) {
                IllegalStateException e = assertThrows(IllegalStateException.class, r::run);
                assertEquals("No op known for hash: 0 and name daair_dispatch", e.getMessage());
            }
        } finally {
            ImportClassMapping.getOpNameMapping().put(DispatchOp.NAME, new DispatchOp());
        }
    }

    @Test
    void withTheBackendsOwnExecutionerTheOpsCannotRun() throws ReflectiveOperationException {
        SameDiff sd = graph(false, DataType.FLOAT, 4);
        Map<String, INDArray> feed = feed(Nd4j.rand(DataType.FLOAT, 6, 4, 3, 3), LOGITS);
        Field f = Nd4j.class.getDeclaredField("OP_EXECUTIONER_INSTANCE");
        f.setAccessible(true);
        OpExecutioner installed = Nd4j.getExecutioner();
        // the executioner the backend names in its properties, as a JVM without RoutingOps.install() has it
        f.set(
                null,
                Class.forName(Nd4jContext.getInstance().getConf().getProperty("opexec"))
                        .getDeclaredConstructor()
                        .newInstance());
        try {
            ND4JIllegalStateException e = assertThrows(ND4JIllegalStateException.class, () -> sd.output(feed, "out"));
            assertEquals("Op name daair_dispatch is missing!", e.getMessage());
        } finally {
            f.set(null, installed);
        }
    }

    // ---------------------------------------------------------------- SameDiff's function mechanism

    /**
     * {@code invoke} of a sub-graph registered with {@code putSubFunction} runs forward, but the gradient build
     * copies the graph through FlatBuffers, where {@code invoke} is no known op (registered by hand, the copy
     * loses the function name: "No function of null found!"), and a saved graph does not load either. It never
     * reaches a backward ({@code Invoke} has no doDiff).
     */
    @Test
    void theFunctionMechanismRunsForwardOnlyInTheGraphThatBuiltIt(@TempDir Path tmp) {
        SameDiff sd = SameDiff.create();
        INDArray w = Nd4j.rand(DataType.FLOAT, 2, 3);
        SDVariable v = sd.var("w", w);
        SameDiff twice = SameDiff.create();
        twice.placeHolder("in", DataType.FLOAT, -1, 3).mul(2.0).rename("res");
        sd.putSubFunction("twice", twice);
        SDVariable y = sd.invoke(Invoke.InvokeParams.builder()
                .functionName("twice")
                .inputs(new SDVariable[] {v})
                .inputVarNames(new String[] {"w"})
                .subGraphInputVarNames(new String[] {"in"})
                .subGraphOutputVarNames(new String[] {"res"})
                .outputVarNames(new String[] {"y"})
                .build())[0];
        sd.setLossVariables(y.sum("loss"));
        assertEquals(w.mul(2.0), sd.output(Map.of(), "y").get("y"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sd.calculateGradients(Map.of(), "w"));
        assertTrue(e.getMessage().endsWith(" and name invoke"), e.getMessage());
        File file = tmp.resolve("invoke.sd").toFile();
        sd.save(file, true);
        assertTrue(assertThrows(IllegalStateException.class, () -> SameDiff.load(file, true))
                .getMessage()
                .endsWith(" and name invoke"));
    }

    // ---------------------------------------------------------------- speed (not run in CI)

    private static double medianMillis(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1e6;
    }

    /** Forward and forward+backward (every weight) of the custom ops and the composition, interleaved, medians. */
    @Test
    @EnabledIfSystemProperty(named = "daair.bench", matches = "true")
    void bench() {
        String[] modes = {"custom ops", "composition"};
        int rounds = Integer.getInteger("daair.bench.rounds", 31);
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
                System.out.printf(
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
    }
}
