package io.daair.nn.graph;

import io.daair.nn.exec.ReleasingInference;
import io.daair.nn.ops.DepthwiseOp;
import io.daair.nn.ops.JavaOps;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.util.ArrayUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The SameDiff graph under construction with its parameters: creation, seeded initialisation, and the
 * few layer primitives every block shares.
 *
 * <p>Activations are pixel rows {@code [B*H*W, C]}, c-order, the same memory as NHWC {@code [B, H, W, C]}
 * ({@link Level} reshapes between the two without copying). A 1x1 convolution is one product over all pixels
 * of the batch, {@code rows x W[in, out]}, with no permute; k x k and depthwise convolutions run on the NHWC
 * view ({@code dataFormat("NHWC")}, where libnd4j's oneDNN kernels need no reorder into fresh memory: a
 * depthwise forward on [8, 170, 128, 128] took 558 ms in NCHW, 10 ms in NHWC). Where a layer's output would be
 * split along channels (q/k/v, GDFN's gate), its weight is sliced instead ({@link #pointwiseColumns},
 * {@link #depthwiseChannels}): a channel split of a large activation cost 60 times its concat.
 *
 * <p>Layouts of the parameters: convolution kernels are YXIO {@code [kH, kW, in, out]} (depthwise
 * {@code [k, k, C, 1]}), because SameDiff M2.1's backward fails for OIYX; the safetensors exchange
 * permutes them to PyTorch's OIHW with (3, 2, 0, 1) on export and (2, 3, 1, 0) on import. Linear
 * weights are PyTorch's {@code (out, in)}, LayerNorm weights {@code (C)}, temperatures {@code (h, 1, 1)}.
 *
 * <p>Initialisation (PyTorch's defaults): every convolution and linear weight and the router bias is
 * uniform in {@code [-1/sqrt(fanIn), 1/sqrt(fanIn)]} (kaiming-uniform with a = sqrt 5), LayerNorm
 * weights and temperatures are ones, LayerNorm biases zeros. Each parameter draws from its own
 * {@link SplittableRandom} seeded by the global seed and its name, so values do not depend on the
 * order in which blocks are built.
 */
public final class Graph {

    private final SameDiff sd;
    private final DataType type;
    private final long seed;
    private final List<String> trainable = new ArrayList<>();
    private final List<String> frozen = new ArrayList<>();

    /**
     * @param sd the graph to add to
     * @param type FLOAT for training and inference, DOUBLE for gradient checks
     * @param seed initialisation seed
     */
    static {
        JavaOps.install(); // the fused ops below
        ReleasingInference.install();
    }

    public Graph(SameDiff sd, DataType type, long seed) {
        this.sd = sd;
        this.type = type;
        this.seed = seed;
    }

    public SameDiff sd() {
        return sd;
    }

    public DataType type() {
        return type;
    }

    /** Names of the trainable parameters in creation order (deterministic for a configuration). */
    public List<String> trainableNames() {
        return Collections.unmodifiableList(trainable);
    }

    /** Names of the frozen (constant) parameters, the controllers, in creation order. */
    public List<String> frozenNames() {
        return Collections.unmodifiableList(frozen);
    }

    /** A trainable weight, uniform in +-1/sqrt(fanIn). */
    public SDVariable uniform(String name, int fanIn, long... shape) {
        double bound = 1.0 / Math.sqrt(fanIn);
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + name.hashCode());
        double[] values = new double[Math.toIntExact(ArrayUtil.prodLong(shape))];
        for (int i = 0; i < values.length; i++) {
            values[i] = (rnd.nextDouble() * 2 - 1) * bound; // c order, as the elements of the weight
        }
        return trainable(name, Nd4j.createFromArray(values).reshape('c', shape)); // one copy, not one call per value
    }

    /** A trainable parameter filled with a constant. */
    public SDVariable filled(String name, double value, long... shape) {
        return trainable(name, Nd4j.valueArrayOf(shape, value, type));
    }

    /** A trainable parameter with the given initial value. */
    public SDVariable trainable(String name, INDArray init) {
        trainable.add(name);
        return sd.var(name, init.castTo(type));
    }

    /** A parameter that takes no gradient (a SameDiff constant), updated only from outside (controller EMA). */
    public SDVariable frozen(String name, INDArray value) {
        frozen.add(name);
        return sd.constant(name, value.castTo(type));
    }

    /**
     * A 1x1 convolution of pixel rows: ONE matrix product {@code rows [N, in] x W [in, out]}, no permute;
     * creates {@code weightName} [1, 1, in, out].
     */
    public SDVariable pointwise(String weightName, SDVariable rows, int in, int out) {
        return pointwise(rows, uniform(weightName, in, 1, 1, in, out));
    }

    /** A 1x1 convolution of pixel rows [N, in] with a given [1, 1, in, out] weight; returns [N, out]. */
    public SDVariable pointwise(SDVariable rows, SDVariable weight) {
        long[] shape = weight.getShape(); // [1, 1, in, out]
        return sd.mmul(rows, sd.reshape(weight, shape[2], shape[3]));
    }

    /** A k x k convolution of an NHWC image, stride 1, zero "same" padding, no bias; creates {@code weightName}. */
    public SDVariable conv(String weightName, SDVariable image, int in, int out, int k) {
        SDVariable weight = uniform(weightName, in * k * k, k, k, in, out); // [k, k, in, out]
        return sd.cnn().conv2d(image, weight, config(k)); // [B, H, W, out]
    }

    /**
     * A depthwise k x k convolution of pixel rows at {@code level}, "same" zero padding, no bias; creates
     * {@code weightName} [k, k, C, 1].
     */
    public SDVariable depthwise(String weightName, Level level, SDVariable rows, int channels, int k) {
        return depthwise(level, rows, uniform(weightName, k * k, k, k, channels, 1), channels, k);
    }

    /**
     * A depthwise k x k convolution of pixel rows [B*H*W, C] with a [k, k, C, 1] weight, run in NHWC as
     * {@link DepthwiseOp}: libnd4j's forward kernel, a backward 5-25 times faster than libnd4j's.
     */
    public SDVariable depthwise(Level level, SDVariable rows, SDVariable weight, int channels, int k) {
        SDVariable image = level.image(rows, channels); // [B, H, W, C]
        return Level.rows(DepthwiseOp.apply(sd, image, weight), channels); // [B*H*W, C]
    }

    /**
     * Columns {@code [from, from + n)} of a [1, 1, in, out] weight as an [in, n] matrix: one part of a 1x1
     * convolution whose output would be split (weights are small, activations are not).
     */
    public SDVariable pointwiseColumns(SDVariable weight, int from, int n) {
        int in = (int) weight.getShape()[2];
        return sd.reshape(sd.slice(weight, new int[] {0, 0, 0, from}, 1, 1, in, n), in, n);
    }

    /** Channels {@code [from, from + n)} of a [k, k, C, 1] depthwise weight: [k, k, n, 1]. */
    public SDVariable depthwiseChannels(SDVariable weight, int from, int n) {
        long[] shape = weight.getShape(); // [k, k, C, 1]
        return sd.slice(weight, new int[] {0, 0, from, 0}, (int) shape[0], (int) shape[1], n, 1);
    }

    /** A LONG vector constant, for shapes. */
    public SDVariable longs(long... values) {
        return sd.constant(Nd4j.createFromArray(values));
    }

    /** {@code x.shape[from, from + n)} as a LONG vector, for dynamic shapes. */
    public SDVariable dims(SDVariable x, int from, int n) {
        return sd.slice(sd.shape(x).castTo(DataType.INT64), new int[] {from}, n);
    }

    /** A scalar constant of the graph's type. */
    public SDVariable scalar(double v) {
        return sd.constant(Nd4j.scalar(type, v));
    }

    private static Conv2DConfig config(int k) {
        return Conv2DConfig.builder()
                .kH(k)
                .kW(k)
                .sH(1)
                .sW(1)
                .dH(1)
                .dW(1)
                .paddingMode(PaddingMode.SAME)
                .dataFormat("NHWC")
                .build();
    }
}
