package io.daair.nn.bench;

import io.daair.nn.ops.DepthwiseOp;
import io.daair.nn.ops.JavaOps;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Median milliseconds of a depthwise convolution (NHWC, SAME, float) on the network's shapes: libnd4j's
 * forward kernel, libnd4j's {@code depthwise_conv2d_bp} against {@link DepthwiseOp#backward}, and forward plus
 * gradients through SameDiff ({@code calculateGradients}) with SameDiff's depthwise op against {@link DepthwiseOp}.
 * The SameDiff columns include its own allocations and the sum's backward. Prints a markdown table; set {@code OMP_NUM_THREADS} before the JVM starts. Argument: timed repetitions (5).
 */
public final class DepthwiseBench {

    /** (B, H, W, C, k): level 1-3 of the tiny preset, a 4x wider level 1, the rank-space kernels. */
    private static final int[][] SHAPES = {
        {8, 128, 128, 42, 3},
        {8, 64, 64, 84, 3},
        {8, 32, 32, 170, 3},
        {8, 128, 128, 168, 3},
        {8, 128, 128, 2, 7},
        {8, 128, 128, 8, 7},
        {8, 128, 128, 8, 11}
    };

    private DepthwiseBench() {}

    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        JavaOps.install();
        System.out.println("| x (B, H, W, C) | k | forward | depthwise_conv2d_bp | DepthwiseOp.backward "
                + "| SameDiff fwd+grad, built-in | SameDiff fwd+grad, DepthwiseOp |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int[] s : SHAPES) {
            Nd4j.getRandom().setSeed(1);
            int k = s[4];
            INDArray x = Nd4j.rand(DataType.FLOAT, s[0], s[1], s[2], s[3]).subi(0.5);
            INDArray w = Nd4j.rand(DataType.FLOAT, k, k, s[3], 1).subi(0.5);
            INDArray dy = x.like().assign(x).muli(0.5);
            INDArray y = x.ulike();
            INDArray dx = x.ulike();
            INDArray dw = w.ulike();
            double forward = median(repeats, () -> DepthwiseOp.forward(x, w, y));
            double libnd4jBp = median(
                    repeats,
                    () -> Nd4j.exec(DynamicCustomOp.builder("depthwise_conv2d_bp")
                            .addInputs(x, w, dy)
                            .addOutputs(dx, dw)
                            .addIntegerArguments(k, k, 1, 1, 0, 0, 1, 1, PaddingMode.SAME.index, 1)
                            .build()));
            double ours = median(repeats, () -> DepthwiseOp.backward(x, w, dy, dx, dw));
            double builtInGraph = median(repeats, gradients(x, w, false));
            double ourGraph = median(repeats, gradients(x, w, true));
            System.out.printf(
                    "| %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
                    Arrays.toString(x.shape()), k, forward, libnd4jBp, ours, builtInGraph, ourGraph);
            for (INDArray a : new INDArray[] {x, w, dy, y, dx, dw}) {
                a.close();
            }
        }
    }

    /** Forward and both gradients of {@code sum(conv(x, w))} in a graph built once. */
    private static Runnable gradients(INDArray xValue, INDArray wValue, boolean ours) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", xValue);
        SDVariable w = sd.var("w", wValue);
        int k = (int) wValue.size(0);
        SDVariable y = ours
                ? DepthwiseOp.apply(sd, x, w)
                : sd.cnn()
                        .depthWiseConv2d(
                                x,
                                w,
                                Conv2DConfig.builder()
                                        .kH(k)
                                        .kW(k)
                                        .sH(1)
                                        .sW(1)
                                        .paddingMode(PaddingMode.SAME)
                                        .dataFormat(Conv2DConfig.NHWC)
                                        .build());
        sd.setLossVariables(y.sum("loss"));
        return () -> sd.calculateGradients(Map.of(), "x", "w");
    }

    /** Median wall milliseconds of {@code repeats} runs after one warm-up. */
    private static double median(int repeats, Runnable r) {
        r.run();
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return ms[repeats / 2];
    }
}
