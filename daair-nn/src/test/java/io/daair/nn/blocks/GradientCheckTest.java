package io.daair.nn.blocks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.nn.graph.Graph;
import io.daair.nn.graph.Level;
import io.daair.nn.routing.ExpertRouting;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.validation.GradCheckUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Numeric gradient checks in double precision for every block (tiny shapes: C = 8, r = 2) and the routing
 * op: central differences against SameDiff's backward, a few random elements per parameter.
 *
 * <p>In the blocks, the routers are set so that even samples go to expert 0 and odd ones to expert 1 (the
 * input boosts channel 0 or 1, the router reads channel 0): in double precision
 * libnd4j runs its generic depthwise convolution (oneDNN has no float64), which fails on a batch of 0
 * ("MmulHelper::mmulNxN: rank of B array should be equal 2"); the float32 oneDNN kernels used for training
 * and inference accept it. The routing check covers an empty expert with element-wise specialists.
 */
class GradientCheckTest {

    private static final BlockSpec SPEC = new BlockSpec(8, 2, 2, 3, 2, 21, true);
    private static DataType defaultType;

    @BeforeAll
    static void doublePrecision() {
        defaultType = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restore() {
        Nd4j.setDefaultDataTypes(defaultType, defaultType);
    }

    /** Builds {@code sum(block(x) * fixed random)} with x a (6, C, 8, 8) variable and checks gradients. */
    private static void check(Function<Graph, SDVariable> block, String... skip) {
        Nd4j.getRandom().setSeed(3);
        SameDiff sd = SameDiff.create();
        Graph g = new Graph(sd, DataType.DOUBLE, 5);
        SDVariable out = block.apply(g);
        for (SDVariable v : sd.variables()) {
            if (v.name().endsWith(".router.weight")) {
                v.getArr().assign(0).putScalar(0, 0, 5.0).putScalar(1, 0, -5.0);
            }
        }
        SDVariable probe =
                sd.constant(Nd4j.rand(DataType.DOUBLE, out.eval().shape()).subi(0.5));
        sd.setLossVariables(out.mul(probe).sum("gc_loss"));
        boolean ok = GradCheckUtil.checkGradients(
                sd,
                Map.of(),
                1e-6,
                1e-3,
                1e-7,
                false,
                false,
                false,
                false,
                new HashSet<>(List.of(skip)),
                null,
                4,
                GradCheckUtil.Subset.RANDOM);
        assertTrue(ok, "gradient check failed, see the log");
    }

    /** The test input as the network sees it: pixel rows [6*8*8, C] of an NHWC image, and its grid. */
    private record Input(Level level, SDVariable image, SDVariable rows) {}

    /** Six samples; sample b has channel b % 2 raised by 1, so that the routers above can split them. */
    private static Input input(Graph g, int channels) {
        INDArray x = Nd4j.rand(DataType.DOUBLE, 6, channels, 8, 8).muli(0.5);
        for (int b = 0; b < 6; b++) {
            x.get(NDArrayIndex.point(b), NDArrayIndex.point(b % 2)).addi(1.0);
        }
        SDVariable image = g.sd().permute(g.sd().var("x", x), 0, 2, 3, 1); // [6, 8, 8, C]
        return new Input(Level.of(g, image), image, Level.rows(image, channels));
    }

    @Test
    void pixelShuffleAndUnshuffle() {
        check(g -> {
            Input in = input(g, 2);
            Level half = in.level().half();
            SDVariable mixed = g.pointwise("w.weight", PixelShuffle.unshuffle(g, in.image(), 2, half), 8, 8);
            return PixelShuffle.shuffle(g, mixed, 2, half);
        });
    }

    @Test
    void plainBlock() {
        check(g -> {
            Input in = input(g, 8);
            return PlainBlock.apply(g, in.level(), "p", in.rows(), SPEC);
        });
    }

    @Test
    void encoderBlockWithDaLe() {
        check(g -> {
            Input in = input(g, 8);
            return EncoderBlock.apply(g, in.level(), "e", in.rows(), SPEC, new ArrayList<>());
        });
    }

    @Test
    void decoderBlockWithControllerAndCrossAttention() {
        check(g -> {
            Input in = input(g, 8);
            Expert.apply(g, in.level(), "a0", in.rows(), SPEC); // an agnostic expert for the controller to copy
            SDVariable out =
                    DecoderBlock.apply(g, in.level(), "d", in.rows(), SPEC, true, List.of("a0"), new ArrayList<>());
            // the controller copied a0's values; a0 itself is not wired to the output: no gradient to check
            g.sd().convertToConstants(Expert.PARTS.stream()
                    .map(p -> g.sd().getVariable("a0." + p + ".weight"))
                    .toList());
            return out;
        });
    }

    @Test
    void routingWithAnEmptyExpert() {
        check(g -> {
            SDVariable x = input(g, 8).image(); // [6, 8, 8, 8], split along the batch
            // logits favour experts 0, 2, 0, 2, 0, 0 for the six samples: expert 1 receives nothing
            INDArray bias = Nd4j.createFromArray(
                    new double[][] {{3, 0, 0}, {0, 0, 3}, {3, 0, 0}, {0, 1, 3}, {2, 0, 1}, {3, 1, 0}});
            SDVariable logits = g.sd().var("logits", bias);
            return ExpertRouting.apply(g, x, logits, 3, (e, sub) -> {
                SDVariable scale = g.uniform("s" + e + ".scale", 1, 1, 1, 1, 8);
                return g.sd().math().tanh(sub.mul(scale));
            });
        });
    }
}
