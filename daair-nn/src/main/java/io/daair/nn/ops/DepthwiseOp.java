package io.daair.nn.ops;

import java.util.Arrays;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code daair_depthwise}: a k x k depthwise convolution (cross-correlation), stride 1, zero "same" padding (k
 * odd), no bias, of x (B, H, W, C) with a kernel (k, k, C, 1), SameDiff's layout. The forward is libnd4j's own
 * {@code depthwise_conv2d} in NHWC (oneDNN, fast); the backward ({@link Backward}) replaces libnd4j's
 * {@code depthwise_conv2d_bp}, which took 100-320 ms on a level-1 tensor of the tiny preset in either layout
 * (docs/performance.md): dx is the forward kernel again with the kernel rotated by 180 degrees, dW is
 * {@link DepthwiseWeightGradient}.
 */
public final class DepthwiseOp extends JavaOp {

    /** For graph copies and loads. */
    public DepthwiseOp() {}

    private DepthwiseOp(SameDiff sd, SDVariable x, SDVariable weight) {
        super(sd, new SDVariable[] {x, weight});
    }

    /** The convolution of {@code xNhwc} (B, H, W, C) with {@code weight} (k, k, C, 1), k odd. */
    public static SDVariable apply(SameDiff sd, SDVariable xNhwc, SDVariable weight) {
        long[] xs = xNhwc.getShape();
        long[] ws = weight.getShape();
        boolean kernelOk = ws == null || ws.length == 4 && ws[0] == ws[1] && ws[0] % 2 == 1 && ws[3] == 1;
        boolean channelsOk = xs == null || ws == null || xs.length == 4 && xs[3] == ws[2];
        if (!kernelOk || !channelsOk) {
            throw new IllegalArgumentException("depthwise convolution needs an odd square kernel [k, k, C, 1] and an"
                    + " input [B, H, W, C] with the same C, got kernel " + Arrays.toString(ws) + " for input "
                    + Arrays.toString(xs));
        }
        return new DepthwiseOp(sd, xNhwc, weight).outputVariable();
    }

    @Override
    public String opName() {
        return "daair_depthwise";
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
    protected List<LongShapeDescriptor> shapes(List<INDArray> in) {
        return List.of(descriptor(in.get(0).shape(), in.get(0).dataType()));
    }

    @Override
    protected void compute(List<INDArray> in, List<INDArray> out) {
        forward(in.get(0), in.get(1), out.get(0));
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> grads) {
        return List.of(new Backward(sameDiff, arg(0), arg(1), grads.get(0)).outputVariables());
    }

    /**
     * Writes the convolution of x (B, H, W, C) with w (k, k, C, 1) into y (B, H, W, C): libnd4j's kernel, handed
     * c-order arrays of their own memory (given an f-order x it computes something else, an f-order y crashes the
     * JVM).
     */
    public static void forward(INDArray x, INDArray w, INDArray y) {
        if (x.isEmpty()) {
            return; // a specialist without samples: nothing to compute
        }
        int k = (int) w.size(0);
        INDArray into = plain(y, y.dataType());
        Nd4j.exec(DynamicCustomOp.builder("depthwise_conv2d")
                .addInputs(plain(x, x.dataType()), plain(w, w.dataType()))
                .addOutputs(into)
                // kH, kW, sH, sW, pH, pW, dH, dW, padding mode (1: SAME), data format (1: NHWC)
                .addIntegerArguments(k, k, 1, 1, 0, 0, 1, 1, 1, 1)
                .build());
        if (into != y) {
            y.assign(into);
        }
    }

    /** Writes the gradients of x and w into dx and dw, from dL/dy. */
    public static void backward(INDArray x, INDArray w, INDArray dy, INDArray dx, INDArray dw) {
        if (x.isEmpty()) {
            dw.assign(0); // a sum over no sample
            return;
        }
        INDArray rotated = rotated(w);
        forward(dy, rotated, dx);
        rotated.close();
        DepthwiseWeightGradient.into(x, dy, dw);
    }

    /**
     * w (k, k, C, 1) turned by 180 degrees in its two spatial axes: w'[i, j] = w[k-1-i, k-1-j]. Copied in Java:
     * libnd4j M2.1's {@code reverse} leaks one native NDArray per channel on every call (training the tiny
     * preset lost 0.16 MB per step to it, docs/performance.md).
     */
    static INDArray rotated(INDArray w) {
        INDArray from = plain(w, w.dataType());
        INDArray to = Nd4j.createUninitialized(w.dataType(), w.shape(), 'c');
        long k = w.size(0);
        long channels = w.size(2) * w.size(3);
        DataBuffer src = from.data();
        DataBuffer dst = to.data();
        for (long i = 0; i < k; i++) {
            for (long j = 0; j < k; j++) {
                long at = (i * k + j) * channels;
                long mirrored = ((k - 1 - i) * k + (k - 1 - j)) * channels;
                for (long c = 0; c < channels; c++) {
                    dst.put(mirrored + c, src.getDouble(at + c));
                }
            }
        }
        if (from != w) {
            from.close();
        }
        return to;
    }

    /** a itself when it is a c-order array filling its own buffer in that type, else such a copy. */
    static INDArray plain(INDArray a, DataType type) {
        boolean plain = a.dataType() == type
                && a.ordering() == 'c'
                && Shape.hasDefaultStridesForShape(a) // a permuted array can claim c order and not be a view
                && !a.isView()
                && a.data().offset() == 0
                && a.data().length() == a.length();
        return plain ? a : a.castTo(type).dup('c');
    }

    /** {@code daair_depthwise_bp}: from x, w and dL/dy, the gradients of x and w. */
    public static final class Backward extends JavaOp {

        /** For graph copies and loads. */
        public Backward() {}

        Backward(SameDiff sd, SDVariable x, SDVariable weight, SDVariable dy) {
            super(sd, new SDVariable[] {x, weight, dy});
        }

        @Override
        public String opName() {
            return "daair_depthwise_bp";
        }

        @Override
        public int getNumOutputs() {
            return 2;
        }

        @Override
        public List<DataType> calculateOutputDataTypes(List<DataType> in) {
            return List.of(in.get(0), in.get(1));
        }

        @Override
        protected List<LongShapeDescriptor> shapes(List<INDArray> in) {
            return List.of(
                    descriptor(in.get(0).shape(), in.get(0).dataType()),
                    descriptor(in.get(1).shape(), in.get(1).dataType()));
        }

        @Override
        protected void compute(List<INDArray> in, List<INDArray> out) {
            backward(in.get(0), in.get(1), in.get(2), out.get(0), out.get(1));
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grads) {
            throw new UnsupportedOperationException("depthwise convolution has no second derivative here");
        }
    }
}
