package io.daair.nn.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.nn.blocks.Graph;
import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.validation.GradCheckUtil;
import org.nd4j.imports.converters.ImportClassMapping;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.custom.Invoke;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.exception.ND4JIllegalStateException;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The evidence behind {@link ExpertRouting} being a composition (issue 3: "try the real op first, choose on
 * evidence"): the candidate, a Java-defined {@link DynamicCustomOp} pair {@code daair_dispatch} /
 * {@code daair_combine} (each the other's backward), built as the stack notes describe and measured here.
 *
 * <p>What it takes in DL4J/ND4J 1.0.0-M2.1 (read from the jar): SameDiff runs a custom op through
 * {@code Nd4j.getExecutioner().exec(op, context)}, whose native path needs the op's hash from libnd4j's
 * registry ({@code DynamicCustomOp.opHash}), so a Java op needs an executioner that computes it in Java (here
 * a proxy around the backend's executioner, put into Nd4j's private static field by reflection; the
 * documented alternative is {@code -Dopexec=<a NativeOpExecutioner subclass>}, one per backend). Graph
 * copies (every gradient build) and loads find op classes by name in {@code ImportClassMapping}'s map, so
 * the ops must be registered there first. Output shapes come from the input values at run time
 * ({@code calculateOutputShape(OpContext)}).
 *
 * <p>Measured: correct forward (hand-computed values, an empty expert, a batch of one without the dummy row
 * the composition needs), passes the double-precision gradient check, save/load and FlatBuffers round trips
 * are bit-identical, and the routing alone runs about twice as fast as the composition ({@link #bench}, run
 * with {@code -Ddaair.bench=true}; figures in ExpertRouting's Javadoc). It fails wherever the setup has not
 * run: a graph holding it cannot be loaded or differentiated ("No op known for hash: 0 and name
 * daair_dispatch") nor executed ("Op name daair_dispatch is missing!"), which is every fresh JVM, Spark
 * executors included, and any other SameDiff program reading the checkpoint. The other candidate, SameDiff's
 * function mechanism ({@code invoke}), fails earlier: no gradient and no save/load at all.
 */
class RoutingOpCandidatesTest {

    private static final String DISPATCH = "daair_dispatch";
    private static final String COMBINE = "daair_combine";
    private static final int EXPERTS = 3;
    // 6 samples: experts 0, 2, 0, 2, 0, 0 (expert 1 receives nothing)
    private static final double[][] LOGITS = {{3, 0, 0}, {0, 0, 3}, {3, 0, 0}, {0, 1, 3}, {2, 0, 1}, {3, 1, 0}};

    private static OpExecutioner backend;

    @BeforeAll
    static void install() throws ReflectiveOperationException {
        backend = Nd4j.getExecutioner();
        setExecutioner(javaOpExecutioner(backend));
        register();
    }

    @AfterAll
    static void uninstall() throws ReflectiveOperationException {
        setExecutioner(backend);
        ImportClassMapping.getOpNameMapping().remove(DISPATCH);
        ImportClassMapping.getOpNameMapping().remove(COMBINE);
    }

    // ---------------------------------------------------------------- the candidate

    /** A custom op computed in Java: E as its integer argument, shapes from the input values. */
    public abstract static class JavaOp extends DynamicCustomOp {

        protected JavaOp() {}

        protected JavaOp(SameDiff sd, SDVariable[] args, int experts) {
            super(null, sd, args, false);
            addIArgument(experts);
        }

        int experts() {
            return iArguments.get(0).intValue();
        }

        @Override
        public Map<String, Object> propertiesForFunction() {
            return Map.of();
        }

        @Override
        public void setPropertiesForFunction(Map<String, Object> properties) {}

        @Override
        public List<LongShapeDescriptor> calculateOutputShape(OpContext oc) {
            return shapes(oc != null ? oc.getInputArrays() : inputArguments());
        }

        abstract List<LongShapeDescriptor> shapes(List<INDArray> in);

        abstract void compute(List<INDArray> in, List<INDArray> out);

        static LongShapeDescriptor descriptor(long[] shape, DataType type) {
            long[] strides = new long[shape.length];
            long stride = 1;
            for (int i = shape.length - 1; i >= 0; i--) {
                strides[i] = stride;
                stride *= Math.max(1, shape[i]);
            }
            boolean empty = Arrays.stream(shape).anyMatch(d -> d == 0);
            return LongShapeDescriptor.fromShape(shape, strides, 1, 'c', type, empty);
        }

        /** a (n, ...) as (n, row) rows. */
        static INDArray rows(INDArray a) {
            return a.reshape('c', a.size(0), a.length() / Math.max(1, a.size(0)));
        }
    }

    /** x (B, ...), index (B) -> E parts (n_e, ...) in batch order. Backward: {@link Combine}. */
    public static final class Dispatch extends JavaOp {

        public Dispatch() {}

        public Dispatch(SameDiff sd, SDVariable x, SDVariable index, int experts) {
            super(sd, new SDVariable[] {x, index}, experts);
        }

        @Override
        public String opName() {
            return DISPATCH;
        }

        @Override
        public int getNumOutputs() {
            return experts();
        }

        @Override
        public List<DataType> calculateOutputDataTypes(List<DataType> in) {
            return Collections.nCopies(experts(), in.get(0));
        }

        @Override
        List<LongShapeDescriptor> shapes(List<INDArray> in) {
            long[] counts = new long[experts()];
            for (int k : in.get(1).toIntVector()) {
                counts[k]++;
            }
            List<LongShapeDescriptor> out = new ArrayList<>();
            for (long n : counts) {
                long[] shape = in.get(0).shape().clone();
                shape[0] = n;
                out.add(descriptor(shape, in.get(0).dataType()));
            }
            return out;
        }

        @Override
        void compute(List<INDArray> in, List<INDArray> out) {
            INDArray x = rows(in.get(0));
            int[] index = in.get(1).toIntVector();
            int[] next = new int[experts()];
            for (int b = 0; b < index.length; b++) {
                rows(out.get(index[b])).getRow(next[index[b]]++).assign(x.getRow(b));
            }
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grads) {
            SDVariable index = arg(1);
            SDVariable dx = new Combine(sameDiff, grads.toArray(new SDVariable[0]), index).outputVariable();
            return List.of(dx, sameDiff.zerosLike(index));
        }
    }

    /** E parts (n_e, ...), index (B) -> (B, ...) in batch order. Backward: {@link Dispatch}. */
    public static final class Combine extends JavaOp {

        public Combine() {}

        public Combine(SameDiff sd, SDVariable[] parts, SDVariable index) {
            super(sd, withIndex(parts, index), parts.length);
        }

        private static SDVariable[] withIndex(SDVariable[] parts, SDVariable index) {
            SDVariable[] args = Arrays.copyOf(parts, parts.length + 1);
            args[parts.length] = index;
            return args;
        }

        @Override
        public String opName() {
            return COMBINE;
        }

        @Override
        public int getNumOutputs() {
            return 1;
        }

        @Override
        public List<DataType> calculateOutputDataTypes(List<DataType> in) {
            return List.of(in.get(0));
        }

        @Override
        List<LongShapeDescriptor> shapes(List<INDArray> in) {
            long[] shape = in.get(0).shape().clone();
            shape[0] = in.get(experts()).length();
            return List.of(descriptor(shape, in.get(0).dataType()));
        }

        @Override
        void compute(List<INDArray> in, List<INDArray> out) {
            INDArray merged = rows(out.get(0));
            int[] index = in.get(experts()).toIntVector();
            int[] next = new int[experts()];
            for (int b = 0; b < index.length; b++) {
                merged.getRow(b).assign(rows(in.get(index[b])).getRow(next[index[b]]++));
            }
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grads) {
            SDVariable index = arg(experts());
            List<SDVariable> out = new ArrayList<>(
                    Arrays.asList(new Dispatch(sameDiff, grads.get(0), index, experts()).outputVariables()));
            out.add(sameDiff.zerosLike(index));
            return out;
        }
    }

    /** Graph copies (every gradient build) and loads look op classes up by name in this map. */
    static void register() {
        ImportClassMapping.getOpNameMapping().put(DISPATCH, new Dispatch());
        ImportClassMapping.getOpNameMapping().put(COMBINE, new Combine());
    }

    /** The backend's executioner, except that Java ops are computed in Java. */
    static OpExecutioner javaOpExecutioner(OpExecutioner backend) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("exec") && args.length == 2 && args[0] instanceof JavaOp op) {
                OpContext oc = (OpContext) args[1];
                op.compute(oc.getInputArrays(), oc.getOutputArrays());
                return oc.getOutputArrays().toArray(new INDArray[0]);
            }
            try {
                return method.invoke(backend, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (OpExecutioner) Proxy.newProxyInstance(
                OpExecutioner.class.getClassLoader(), new Class<?>[] {OpExecutioner.class}, handler);
    }

    static void setExecutioner(OpExecutioner executioner) throws ReflectiveOperationException {
        Field f = Nd4j.class.getDeclaredField("OP_EXECUTIONER_INSTANCE");
        f.setAccessible(true);
        f.set(null, executioner);
    }

    /** ExpertRouting.apply with the candidate ops in place of partition/stitch. */
    static SDVariable candidate(
            Graph g, SDVariable x, SDVariable logits, BiFunction<Integer, SDVariable, SDVariable> specialist) {
        SameDiff sd = g.sd();
        ExpertRouting.Route route = ExpertRouting.route(g, logits, EXPERTS);
        SDVariable[] parts = new Dispatch(sd, x, route.index(), EXPERTS).outputVariables();
        SDVariable[] outs = new SDVariable[EXPERTS];
        for (int e = 0; e < EXPERTS; e++) {
            outs[e] = specialist.apply(e, parts[e]);
        }
        SDVariable merged = new Combine(sd, outs, route.index()).outputVariable();
        return merged.mul(sd.reshape(route.gate(), -1, 1, 1, 1));
    }

    /**
     * {@code out = routing(x, logits)} with specialist e multiplying by a (1, C, 1, 1) parameter
     * {@code s<e>.scale}; loss {@code sum(out)}. The inputs are multiplied by weights {@code x.weight} and
     * {@code logits.weight} of 1, so that gradients flow back through dispatch and the gate.
     */
    static SameDiff graph(boolean custom, DataType type, int channels) {
        SameDiff sd = SameDiff.create();
        Graph g = new Graph(sd, type, 1);
        SDVariable x = sd.placeHolder("x", type, -1, channels, -1, -1).mul(sd.var("x.weight", Nd4j.scalar(type, 1)));
        SDVariable logits =
                sd.placeHolder("logits", type, -1, EXPERTS).mul(sd.var("logits.weight", Nd4j.scalar(type, 1)));
        BiFunction<Integer, SDVariable, SDVariable> specialist =
                (e, sub) -> sub.mul(g.uniform("s" + e + ".scale", 1, 1, channels, 1, 1));
        SDVariable out = custom
                ? candidate(g, x, logits, specialist)
                : ExpertRouting.apply(g, x, logits, EXPERTS, channels, specialist);
        out.rename("out");
        sd.setLossVariables(out.sum("loss"));
        return sd;
    }

    private static Map<String, INDArray> feed(INDArray x, double[][] logits) {
        return Map.of("x", x, "logits", Nd4j.createFromArray(logits).castTo(x.dataType()));
    }

    private static double gate(double[] logits, int k) {
        double sum = 0;
        for (double v : logits) {
            sum += Math.exp(v);
        }
        return Math.exp(logits[k]) / sum;
    }

    // ---------------------------------------------------------------- what it does

    @Test
    void candidateRoutesEachSampleToItsExpertWeightedByTheGate() {
        SameDiff sd = graph(true, DataType.DOUBLE, 2);
        for (double[][] logits : new double[][][] {LOGITS, {{0, 2, 1}}}) { // an empty expert; a batch of one
            INDArray x = Nd4j.rand(DataType.DOUBLE, logits.length, 2, 2, 3);
            INDArray out = sd.output(feed(x, logits), "out").get("out");
            for (int b = 0; b < logits.length; b++) {
                int k = Nd4j.createFromArray(logits[b]).argMax().getInt(0);
                INDArray scale = sd.getVariable("s" + k + ".scale").getArr();
                INDArray expected =
                        x.get(NDArrayIndex.point(b)).mul(scale.reshape(2, 1, 1)).mul(gate(logits[b], k));
                assertArrayEquals(
                        expected.dup().data().asDouble(),
                        out.get(NDArrayIndex.point(b)).dup().data().asDouble(),
                        1e-12);
            }
        }
    }

    @Test
    void candidatePassesTheGradientCheckWithAnEmptyExpert() {
        DataType defaultType = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            Nd4j.getRandom().setSeed(3);
            SameDiff sd = SameDiff.create();
            Graph g = new Graph(sd, DataType.DOUBLE, 5);
            SDVariable x = sd.var("x", Nd4j.rand(DataType.DOUBLE, 6, 8, 4, 4));
            SDVariable logits = sd.var("logits", Nd4j.createFromArray(LOGITS));
            SDVariable out = candidate(
                    g, x, logits, (e, sub) -> sd.math().tanh(sub.mul(g.uniform("s" + e + ".scale", 1, 1, 8, 1, 1))));
            SDVariable probe =
                    sd.constant(Nd4j.rand(DataType.DOUBLE, out.eval().shape()).subi(0.5));
            sd.setLossVariables(out.mul(probe).sum("gc_loss"));
            assertTrue(GradCheckUtil.checkGradients(
                    sd,
                    Map.of(),
                    1e-6,
                    1e-3,
                    1e-7,
                    false,
                    false,
                    false,
                    false,
                    new HashSet<>(),
                    null,
                    4,
                    GradCheckUtil.Subset.RANDOM));
        } finally {
            Nd4j.setDefaultDataTypes(defaultType, defaultType);
        }
    }

    @Test
    void candidateSurvivesSaveAndLoadWhereItIsRegistered(@TempDir Path tmp) throws Exception {
        SameDiff sd = graph(true, DataType.FLOAT, 4);
        Map<String, INDArray> feed = feed(Nd4j.rand(DataType.FLOAT, 6, 4, 3, 3), LOGITS);
        INDArray before = sd.output(feed, "out").get("out");
        File file = tmp.resolve("candidate.sd").toFile();
        sd.save(file, true);
        SameDiff loaded = SameDiff.load(file, true);
        assertEquals(before, loaded.output(feed, "out").get("out"));
        assertEquals(
                before,
                SameDiff.fromFlatBuffers(sd.asFlatBuffers(true))
                        .output(feed, "out")
                        .get("out"));
        assertEquals(
                sd.calculateGradients(feed, "s0.scale").get("s0.scale"),
                loaded.calculateGradients(feed, "s0.scale").get("s0.scale"));
    }

    @Test
    void withoutTheRegistrationAGraphHoldingTheCandidateCannotBeLoadedNorDifferentiated(@TempDir Path tmp) {
        SameDiff sd = graph(true, DataType.FLOAT, 4);
        File file = tmp.resolve("candidate.sd").toFile();
        sd.save(file, true);
        ImportClassMapping.getOpNameMapping().remove(DISPATCH);
        try {
            Map<String, INDArray> feed = feed(Nd4j.rand(DataType.FLOAT, 6, 4, 3, 3), LOGITS);
            for (Runnable r :
                    List.<Runnable>of(() -> SameDiff.load(file, true), () -> sd.calculateGradients(feed, "s0.scale"))) {
                IllegalStateException e = assertThrows(IllegalStateException.class, r::run);
                assertEquals("No op known for hash: 0 and name daair_dispatch", e.getMessage());
            }
        } finally {
            register();
        }
    }

    @Test
    void withoutTheJavaExecutionerTheCandidateCannotRun() throws ReflectiveOperationException {
        SameDiff sd = graph(true, DataType.FLOAT, 4);
        Map<String, INDArray> feed = feed(Nd4j.rand(DataType.FLOAT, 6, 4, 3, 3), LOGITS);
        setExecutioner(backend);
        try {
            ND4JIllegalStateException e = assertThrows(ND4JIllegalStateException.class, () -> sd.output(feed, "out"));
            assertEquals("Op name daair_dispatch is missing!", e.getMessage());
        } finally {
            setExecutioner(javaOpExecutioner(backend));
        }
    }

    /**
     * SameDiff's function mechanism: {@code invoke} of a sub-graph registered with {@code putSubFunction}
     * runs forward, but the gradient build copies the graph through FlatBuffers, where {@code invoke} is no
     * known op (registered, the copy loses the function name: "No function of null found!"), and a saved
     * graph comes back without its functions. It never reaches a backward ({@code Invoke} has no doDiff).
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

    /**
     * Forward and forward+backward (gradients of every weight) of the composition and the
     * candidate, interleaved rounds, medians; the composition also under the proxy executioner, to show
     * that the proxy costs nothing. The gradients must agree.
     */
    @Test
    @EnabledIfSystemProperty(named = "daair.bench", matches = "true")
    void bench() throws ReflectiveOperationException {
        String[] modes = {"composition", "composition+proxy", "candidate+proxy"};
        OpExecutioner proxy = javaOpExecutioner(backend);
        String[] wrt = {"x.weight", "logits.weight", "s0.scale", "s1.scale", "s2.scale"};
        int rounds = Integer.getInteger("daair.bench.rounds", 31);
        for (int[] size : new int[][] {{8, 8, 16}, {8, 16, 64}}) { // B, C, H = W
            Nd4j.getRandom().setSeed(7);
            double[][] logits = Nd4j.rand(DataType.DOUBLE, size[0], EXPERTS).toDoubleMatrix();
            Map<String, INDArray> feed = feed(Nd4j.rand(DataType.FLOAT, size[0], size[1], size[2], size[2]), logits);
            SameDiff[] graphs = new SameDiff[modes.length];
            long[][] forward = new long[modes.length][rounds];
            long[][] both = new long[modes.length][rounds];
            for (int r = -10; r < rounds; r++) { // 10 warm-up rounds
                for (int m = 0; m < modes.length; m++) {
                    setExecutioner(m == 0 ? backend : proxy);
                    if (graphs[m] == null) {
                        graphs[m] = graph(m == 2, DataType.FLOAT, size[1]);
                    }
                    long t0 = System.nanoTime();
                    graphs[m].output(feed, "out");
                    long t1 = System.nanoTime();
                    graphs[m].calculateGradients(feed, wrt);
                    long t2 = System.nanoTime();
                    if (r >= 0) {
                        forward[m][r] = t1 - t0;
                        both[m][r] = t2 - t1;
                    }
                }
            }
            for (int m = 0; m < modes.length; m++) {
                System.out.printf(
                        "bench B=%d C=%d %dx%d %-18s %2d ops: forward %.2f ms, forward+backward %.2f ms%n",
                        size[0],
                        size[1],
                        size[2],
                        size[2],
                        modes[m],
                        graphs[m].getOps().size(),
                        medianMillis(forward[m]),
                        medianMillis(both[m]));
            }
            Map<String, INDArray> expected = graphs[0].calculateGradients(feed, wrt);
            Map<String, INDArray> actual = graphs[2].calculateGradients(feed, wrt);
            for (String v : wrt) {
                assertTrue(expected.get(v).equalsWithEps(actual.get(v), 1e-5), v);
            }
        }
        setExecutioner(proxy);
    }
}
