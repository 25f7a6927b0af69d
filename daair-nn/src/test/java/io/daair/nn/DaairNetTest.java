package io.daair.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.nn.config.NetConfig;
import io.daair.nn.ops.DepthwiseOp;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DepthwiseConv2D;
import org.nd4j.linalg.factory.Nd4j;

/** The assembled network: names, seeded initialisation, shapes of any multiple-of-8 input. */
class DaairNetTest {

    @Test
    void namesFollowTheSpecAndInitialisationIsSeeded() {
        NetConfig c = NetConfig.preset("tiny", 3);
        DaairNet a = DaairNet.build(c, 42);
        DaairNet b = DaairNet.build(c, 42);
        DaairNet other = DaairNet.build(c, 43);
        assertEquals(a.parameterNames(), b.parameterNames());
        assertTrue(a.parameterNames()
                .containsAll(java.util.List.of(
                        "embed.weight",
                        "enc.0.0.attn.qkv.weight",
                        "enc.3.0.dale.specialists.2.a_dw.weight",
                        "down.2.0.weight",
                        "up.0.0.weight",
                        "fuse.1.weight",
                        "dec.2.0.attn.k_dw.weight",
                        "refine.0.ffn.project_out.weight",
                        "output.weight")));
        assertTrue(a.controllerNames().contains("dec.2.0.controller.down.weight"));
        // YXIO inside SameDiff: embed is (3, 3, in 3, out dim)
        assertArrayEquals(
                new long[] {3, 3, 3, 8},
                a.sameDiff().getVariable("embed.weight").getShape());
        for (String n : a.parameterNames()) {
            assertEquals(
                    a.sameDiff().getVariable(n).getArr(),
                    b.sameDiff().getVariable(n).getArr(),
                    n);
        }
        assertFalse(a.sameDiff()
                .getVariable("embed.weight")
                .getArr()
                .equals(other.sameDiff().getVariable("embed.weight").getArr()));
    }

    @Test
    void forwardKeepsTheShapeOfANonSquareInput() {
        DaairNet net = DaairNet.build(NetConfig.preset("tiny", 5), 1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 3, 16, 24);
        Map<String, INDArray> out =
                net.sameDiff().output(Map.of(DaairNet.INPUT, x), DaairNet.OUTPUT, DaairNet.ROUTER_PROBABILITIES);
        assertArrayEquals(new long[] {3, 3, 16, 24}, out.get(DaairNet.OUTPUT).shape());
        INDArray p = out.get(DaairNet.ROUTER_PROBABILITIES);
        assertArrayEquals(new long[] {3, 5}, p.shape());
        for (int i = 0; i < 3; i++) {
            assertEquals(1.0, p.getRow(i).sumNumber().doubleValue(), 1e-5);
        }
    }

    /**
     * The layout that makes the graph fast on oneDNN (docs/design.md, "Layout: pixel rows"): every convolution
     * runs in NHWC (an NCHW depthwise reorders into fresh memory, 558 against 10 ms on [8, 170, 128, 128]) and
     * no activation is split along channels (a split cost 60 times its concat): the weights are sliced instead.
     */
    @Test
    void convolutionsRunInNhwcAndNoActivationIsSplit() {
        DaairNet net = DaairNet.build(NetConfig.preset("tiny", 3), 1);
        int convolutions = 0;
        for (SameDiffOp op : net.sameDiff().getOps().values()) {
            DifferentialFunction f = op.getOp();
            if (f instanceof Conv2D c) {
                assertEquals("NHWC", c.getConfig().getDataFormat(), op.getName());
                convolutions++;
            } else if (f instanceof DepthwiseOp) { // NHWC by construction
                convolutions++;
            } else {
                assertFalse(f instanceof DepthwiseConv2D, op.getName() + " is libnd4j's depthwise, slow backward");
            }
            assertFalse(f.opName().equals("split"), op.getName() + " splits an activation");
        }
        assertTrue(convolutions > 50, "found the convolutions: " + convolutions);
    }
}
