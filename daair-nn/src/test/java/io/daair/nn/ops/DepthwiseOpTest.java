package io.daair.nn.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The depthwise op against SameDiff's own depthwise convolution (NHWC, SAME) forward, against libnd4j's
 * {@code depthwise_conv2d_bp} backward in float, and its backward against finite differences in double.
 */
class DepthwiseOpTest {

    static {
        JavaOps.install();
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 7})
    void forwardEqualsSameDiffsDepthwiseConvolution(int k) {
        Nd4j.getRandom().setSeed(k);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 9, 11, 5).subi(0.5); // (B, H, W, C)
        INDArray w = Nd4j.rand(DataType.FLOAT, k, k, 5, 1).subi(0.5);
        SameDiff sd = SameDiff.create();
        INDArray want = sd.cnn()
                .depthWiseConv2d(sd.constant(x), sd.constant(w), sameNhwc(k))
                .eval();
        SameDiff ours = SameDiff.create();
        INDArray got =
                DepthwiseOp.apply(ours, ours.constant(x), ours.constant(w)).eval();

        assertArrayEquals(want.shape(), got.shape());
        assertArrayEquals(want.dup('c').data().asFloat(), got.dup('c').data().asFloat(), 1e-5f);
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 7})
    void backwardInFloatEqualsLibnd4jsDepthwiseBackward(int k) {
        Nd4j.getRandom().setSeed(10 + k);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 12, 10, 6).subi(0.5);
        INDArray w = Nd4j.rand(DataType.FLOAT, k, k, 6, 1).subi(0.5);
        INDArray dy = Nd4j.rand(DataType.FLOAT, 3, 12, 10, 6).subi(0.5);
        INDArray wantDx = x.ulike();
        INDArray wantDw = w.ulike();
        Nd4j.exec(DynamicCustomOp.builder("depthwise_conv2d_bp")
                .addInputs(x, w, dy)
                .addOutputs(wantDx, wantDw)
                .addIntegerArguments(k, k, 1, 1, 0, 0, 1, 1, PaddingMode.SAME.index, 1)
                .build());
        INDArray dx = x.ulike();
        INDArray dw = w.ulike();
        DepthwiseOp.backward(x, w, dy, dx, dw);

        assertArrayEquals(wantDx.dup('c').data().asFloat(), dx.dup('c').data().asFloat(), 1e-5f);
        assertArrayEquals(wantDw.dup('c').data().asFloat(), dw.dup('c').data().asFloat(), 1e-4f);
    }

    @Test
    void forwardReadsAndWritesFortranOrderLikeCOrder() {
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 6, 7, 4).subi(0.5);
        INDArray w = Nd4j.rand(DataType.FLOAT, 3, 3, 4, 1).subi(0.5);
        INDArray y = x.ulike();
        DepthwiseOp.forward(x, w, y);
        INDArray yOdd = x.ulike().dup('f');
        DepthwiseOp.forward(x.dup('f'), w, yOdd);

        assertEquals(y, yOdd);
    }

    @Test
    void backwardReadsViewsAndFortranOrderLikeTheirCopies() {
        Nd4j.getRandom().setSeed(5);
        INDArray wide = Nd4j.rand(DataType.FLOAT, 2, 6, 7, 8).subi(0.5);
        INDArray x = wide.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(2, 6));
        INDArray w = Nd4j.rand(DataType.FLOAT, 3, 3, 4, 1).subi(0.5);
        INDArray dy = Nd4j.rand(DataType.FLOAT, 2, 6, 7, 4).subi(0.5);
        INDArray dx = dy.ulike();
        INDArray dw = w.ulike();
        DepthwiseOp.backward(x.dup('c'), w, dy, dx, dw);
        INDArray dxOdd = dy.ulike();
        INDArray dwOdd = w.ulike();
        DepthwiseOp.backward(x, w, dy.dup('f'), dxOdd, dwOdd);

        assertTrue(x.isView());
        assertEquals(dx, dxOdd);
        assertEquals(dw, dwOdd);
    }

    @Test
    void backwardReadsPermutedArraysLikeTheirCopies() {
        Nd4j.getRandom().setSeed(6);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 6, 7, 4).subi(0.5);
        INDArray w = Nd4j.rand(DataType.FLOAT, 3, 3, 4, 1).subi(0.5);
        INDArray dy = Nd4j.rand(DataType.FLOAT, 2, 7, 6, 4).subi(0.5).permute(0, 2, 1, 3); // [2, 6, 7, 4]
        INDArray dx = x.ulike();
        INDArray dw = w.ulike();
        DepthwiseOp.backward(x, w, dy.dup('c'), dx, dw);
        INDArray dxPermuted = x.ulike();
        INDArray dwPermuted = w.ulike();
        DepthwiseOp.backward(x, w, dy, dxPermuted, dwPermuted);

        assertEquals(dx, dxPermuted);
        assertEquals(dw, dwPermuted);
    }

    @Test
    void itsBackwardMatchesFiniteDifferences() {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            Nd4j.getRandom().setSeed(11);
            SameDiff sd = SameDiff.create();
            SDVariable x =
                    sd.var("x", Nd4j.rand(DataType.DOUBLE, 2, 5, 6, 3).muli(2).subi(1));
            SDVariable w = sd.var("w", Nd4j.rand(DataType.DOUBLE, 3, 3, 3, 1).subi(0.5));
            SDVariable y = DepthwiseOp.apply(sd, x, w);
            SDVariable probe =
                    sd.constant(Nd4j.rand(DataType.DOUBLE, 2, 5, 6, 3).subi(0.5));
            sd.setLossVariables(y.mul(probe).sum("loss"));
            // GradCheckUtil passes any entry whose analytic gradient is exactly 0: with random data none is
            Map<String, INDArray> grads = sd.calculateGradients(Map.of(), "x", "w");
            for (String v : new String[] {"x", "w"}) {
                double smallest = Transforms.abs(grads.get(v)).minNumber().doubleValue();
                assertTrue(smallest > 1e-9, "a zero entry in the gradient of " + v + ": " + grads.get(v));
            }
            boolean ok = FiniteDifferences.agree(sd);
            assertTrue(ok, "gradient check failed, see the log");
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }

    @Test
    void refusesAnEvenKernel() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.constant(Nd4j.zeros(DataType.FLOAT, 1, 4, 4, 2));
        SDVariable w = sd.constant(Nd4j.zeros(DataType.FLOAT, 2, 2, 2, 1));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> DepthwiseOp.apply(sd, x, w));
        assertEquals(
                "depthwise convolution needs an odd square kernel [k, k, C, 1] and an input [B, H, W, C] with the"
                        + " same C, got kernel [2, 2, 2, 1] for input [1, 4, 4, 2]",
                e.getMessage());
    }

    private static Conv2DConfig sameNhwc(int k) {
        return Conv2DConfig.builder()
                .kH(k)
                .kW(k)
                .sH(1)
                .sW(1)
                .paddingMode(PaddingMode.SAME)
                .dataFormat(Conv2DConfig.NHWC)
                .build();
    }
}
