package io.daair.nn.routing;

import static io.daair.nn.bench.RoutingBench.WEIGHTS;
import static io.daair.nn.bench.RoutingBench.feed;
import static io.daair.nn.bench.RoutingBench.graph;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
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
 * The evidence behind {@link ExpertRouting}'s custom ops (the real op was tried first; the choice rests on evidence):
 * the other candidates, measured. The previous composition of libnd4j ops ({@link io.daair.nn.bench.RoutingBench})
 * computes the same values and gradients, more slowly ({@code daair bench routing}); the custom ops fail, with
 * the messages below, in a JVM where {@link ExpertRouting#installOps()} has not run; SameDiff's function mechanism
 * ({@code invoke}) runs forward only.
 */
class RoutingOpCandidatesTest {

    // 6 samples: experts 0, 2, 0, 2, 0, 0 (expert 1 receives nothing)
    private static final double[][] LOGITS = {{3, 0, 0}, {0, 0, 3}, {3, 0, 0}, {0, 1, 3}, {2, 0, 1}, {3, 1, 0}};

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

    // ---------------------------------------------------------------- the custom ops without
    // ExpertRouting.installOps()

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
        // the executioner the backend names in its properties, as a JVM without ExpertRouting.installOps() has it
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
}
