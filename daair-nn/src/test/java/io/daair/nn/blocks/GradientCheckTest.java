package io.daair.nn.blocks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.nn.routing.ExpertRouting;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.validation.GradCheckUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Numeric gradient checks in double precision for every block (tiny shapes: C = 8, r = 2, E = 3) and the
 * routing op: central differences against SameDiff's backward, a few random elements per parameter.
 */
class GradientCheckTest {

    private static final BlockSpec SPEC = new BlockSpec(8, 2, 2, 3, 3, 21, true);

    /** Builds {@code sum(block(x) * fixed random)} with x a (3, 8, 8, 8) variable and checks gradients. */
    private static void check(Function<Graph, SDVariable> block, String... skip) {
        Nd4j.getRandom().setSeed(3);
        SameDiff sd = SameDiff.create();
        Graph g = new Graph(sd, DataType.DOUBLE, 5);
        SDVariable out = block.apply(g);
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

    private static SDVariable input(Graph g, int channels) {
        return g.sd().var("x", Nd4j.rand(DataType.DOUBLE, 3, channels, 8, 8));
    }

    @Test
    void pixelShuffleAndUnshuffle() {
        check(g -> PixelShuffle.shuffle(g, g.conv("w.weight", PixelShuffle.unshuffle(g, input(g, 2)), 8, 8, 1)));
    }

    @Test
    void plainBlock() {
        check(g -> PlainBlock.apply(g, "p", input(g, 8), SPEC));
    }

    @Test
    void encoderBlockWithDaLe() {
        check(g -> EncoderBlock.apply(g, "e", input(g, 8), SPEC, new ArrayList<>()));
    }

    @Test
    void decoderBlockWithControllerAndCrossAttention() {
        check(g -> {
            SDVariable x = input(g, 8);
            Expert.apply(g, "a0", x, SPEC); // an agnostic expert for the controller to copy
            return DecoderBlock.apply(g, "d", x, SPEC, true, List.of("a0"), new ArrayList<>());
        });
    }

    @Test
    void routingWithAnEmptyExpert() {
        check(g -> {
            SDVariable x = input(g, 8);
            // logits favour experts 0, 2, 0 for the three samples: expert 1 receives nothing
            INDArray bias = Nd4j.createFromArray(new double[][] {{3, 0, 0}, {0, 0, 3}, {3, 0, 0}});
            SDVariable logits = g.sd().var("logits", bias);
            return ExpertRouting.apply(g, x, logits, 3, 2, (e, sub) -> Expert.apply(g, "s" + e, sub, SPEC));
        });
    }
}
