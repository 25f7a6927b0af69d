package io.daair.nn.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The SameDiff graph under construction with its parameters: creation, seeded initialisation, and the
 * few layer primitives every block shares (convolutions, dynamic-shape reshapes).
 *
 * <p>Layouts inside SameDiff: convolution kernels are YXIO {@code [kH, kW, in, out]} (depthwise
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
    private final Map<String, SDVariable> shapes = new HashMap<>();
    private final Map<String, SDVariable> rows = new HashMap<>();
    private final Map<String, SDVariable> outputShapes = new HashMap<>();
    private final Map<String, SDVariable> channelsLast = new HashMap<>();

    /**
     * @param sd the graph to add to
     * @param type FLOAT for training and inference, DOUBLE for gradient checks
     * @param seed initialisation seed
     */
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
        INDArray arr = Nd4j.create(type, shape);
        long n = arr.length();
        for (long i = 0; i < n; i++) {
            arr.putScalar(i, (rnd.nextDouble() * 2 - 1) * bound);
        }
        return trainable(name, arr);
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

    /** A k x k convolution, stride 1, zero "same" padding, no bias; creates {@code weightName} [k,k,in,out]. */
    public SDVariable conv(String weightName, SDVariable x, int in, int out, int k) {
        return conv(x, uniform(weightName, in * k * k, k, k, in, out), k);
    }

    /**
     * A k x k convolution with a given YXIO weight. A 1x1 convolution is one matrix product over all
     * pixels of the batch: measured on the tiny preset (batch 8, 128x128, one OpenMP thread) a training
     * step takes 10 CPU seconds instead of 18.6 with SameDiff's conv2d, and peak memory 4.2 GB instead of
     * 7.4 GB; outputs are identical. The pixel rows of an input and the output shapes are built once per
     * input and shared by every 1x1 convolution reading it (the experts of a DaLe all read the same
     * features): SameDiff's cost per op, not arithmetic, dominates at small sizes.
     */
    public SDVariable conv(SDVariable x, SDVariable weight, int k) {
        if (k != 1) {
            return sd.cnn().conv2d(x, weight, config(k));
        }
        long in = weight.getShape()[2];
        long out = weight.getShape()[3];
        SDVariable w = sd.reshape(weight, in, out); // [in, out]
        SDVariable y = sd.mmul(pixelRows(x, in), w); // [B*H*W, out]
        SDVariable outShape = outputShapes.computeIfAbsent(
                x.name() + "/" + out, key -> sd.concat(0, dims(channelsLast(x), 0, 3), longs(out))); // [B, H, W, out]
        return sd.permute(sd.reshape(y, outShape), 0, 3, 1, 2); // [B, out, H, W]
    }

    /** x (B, C, H, W) as (B*H*W, C) rows, one per pixel; made once per x. */
    private SDVariable pixelRows(SDVariable x, long channels) {
        return rows.computeIfAbsent(x.name(), key -> sd.reshape(channelsLast(x), -1, channels));
    }

    /** x (B, C, H, W) permuted to (B, H, W, C); made once per x. */
    private SDVariable channelsLast(SDVariable x) {
        return channelsLast.computeIfAbsent(x.name(), key -> sd.permute(x, 0, 2, 3, 1));
    }

    /** A depthwise k x k convolution, "same" zero padding, no bias; creates {@code weightName} [k,k,C,1]. */
    public SDVariable depthwise(String weightName, SDVariable x, int channels, int k) {
        return depthwise(x, uniform(weightName, k * k, k, k, channels, 1), k);
    }

    /** A depthwise k x k convolution with a given [k,k,C,1] weight. */
    public SDVariable depthwise(SDVariable x, SDVariable weight, int k) {
        return sd.cnn().depthWiseConv2d(x, weight, config(k));
    }

    /** A LONG vector constant, for shapes. */
    public SDVariable longs(long... values) {
        return sd.constant(Nd4j.createFromArray(values));
    }

    /** {@code x.shape[from, from + n)} as a LONG vector, for dynamic shapes. */
    public SDVariable dims(SDVariable x, int from, int n) {
        return sd.slice(shape(x), new int[] {from}, n);
    }

    /** The shape of x as a LONG vector, one shape op per variable. */
    public SDVariable shape(SDVariable x) {
        return shapes.computeIfAbsent(x.name(), k -> sd.shape(x).castTo(DataType.INT64));
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
                .dataFormat("NCHW")
                .build();
    }
}
