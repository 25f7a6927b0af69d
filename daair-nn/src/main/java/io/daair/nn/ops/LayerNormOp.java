package io.daair.nn.ops;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

/**
 * {@code daair_layer_norm}: LayerNorm over the last axis, {@code y = (x - mean) / sqrt(var + eps) * w + b}
 * with the biased variance, as one op with an analytic backward ({@link Backward}). Composed from SameDiff
 * ops, the same function costs about fifteen ops forward and more backward, whose broadcast backward passes
 * ({@code multiply_bp} reducing over every pixel) were the second largest cost of a training step
 * (docs/performance.md). x is (..., C), w and b are (C); computed on x's pixel rows (N, C) by {@link LayerNormRows}.
 */
public final class LayerNormOp extends JavaOp {

    /** PyTorch's default epsilon. */
    public static final double EPS = 1e-5;

    /** For graph copies and loads. */
    public LayerNormOp() {}

    public LayerNormOp(SameDiff sd, SDVariable x, SDVariable weight, SDVariable bias) {
        super(sd, new SDVariable[] {x, weight, bias});
    }

    @Override
    public String opName() {
        return "daair_layer_norm";
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
        return likeInputs(in, 1);
    }

    @Override
    protected void compute(List<INDArray> in, List<INDArray> out) {
        LayerNormRows.forward(in.get(0), in.get(1), in.get(2), out.get(0), EPS);
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> grads) {
        return List.of(new Backward(sameDiff, arg(0), arg(1), grads.get(0)).outputVariables());
    }

    /**
     * {@code daair_layer_norm_bp}: from x, w and dL/dy, the gradients of x, w and b. With
     * {@code xh = (x - mean) * rstd} and {@code gw = dy * w}: {@code dx = rstd * (gw - mean_c(gw) - xh *
     * mean_c(gw * xh))}, {@code dw = sum_N(dy * xh)}, {@code db = sum_N(dy)}.
     */
    public static final class Backward extends JavaOp {

        /** For graph copies and loads. */
        public Backward() {}

        Backward(SameDiff sd, SDVariable x, SDVariable weight, SDVariable dy) {
            super(sd, new SDVariable[] {x, weight, dy});
        }

        @Override
        public String opName() {
            return "daair_layer_norm_bp";
        }

        @Override
        public int getNumOutputs() {
            return 3;
        }

        @Override
        public List<DataType> calculateOutputDataTypes(List<DataType> in) {
            return List.of(in.get(0), in.get(1), in.get(1));
        }

        @Override
        protected List<LongShapeDescriptor> shapes(List<INDArray> in) {
            DataType t = in.get(0).dataType();
            return List.of(
                    descriptor(in.get(0).shape(), t),
                    descriptor(in.get(1).shape(), t),
                    descriptor(in.get(1).shape(), t));
        }

        @Override
        protected void compute(List<INDArray> in, List<INDArray> out) {
            LayerNormRows.backward(in.get(0), in.get(1), in.get(2), out.get(0), out.get(1), out.get(2), EPS);
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grads) {
            throw new UnsupportedOperationException("LayerNorm has no second derivative here");
        }
    }
}
