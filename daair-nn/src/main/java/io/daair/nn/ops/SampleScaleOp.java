package io.daair.nn.ops;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code daair_scale_samples}: {@code y[b] = s[b] x[b]}, every value of sample b of x (B, ...) times the factor
 * s (B), with an analytic backward ({@link Backward}): {@code dx[b] = s[b] dy[b]}, {@code ds[b] = sum(dy[b] x[b])}.
 * The routing's gate as a broadcast multiplication cost libnd4j's {@code multiply_bp} 10 ms per tiny level-1 batch
 * (a reduction over [B, 1, 1, 1]); this is one pass over the values.
 */
public final class SampleScaleOp extends JavaOp {

    /** Values per block. */
    private static final int BLOCK = 4096;

    /** For graph copies and loads. */
    public SampleScaleOp() {}

    public SampleScaleOp(SameDiff sd, SDVariable x, SDVariable factors) {
        super(sd, new SDVariable[] {x, factors});
    }

    @Override
    public String opName() {
        return "daair_scale_samples";
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
        INDArray x = in.get(0);
        if (x.isEmpty()) {
            return;
        }
        double[] s = in.get(1).castTo(DataType.DOUBLE).toDoubleVector();
        long perSample = x.length() / s.length;
        Values xs = Values.of(x);
        Values y = Values.of(out.get(0));
        double[] v = new double[BLOCK];
        for (int b = 0; b < s.length; b++) {
            for (long at = b * perSample, end = at + perSample; at < end; at += BLOCK) {
                int len = (int) Math.min(BLOCK, end - at);
                xs.read(at, v, len);
                for (int i = 0; i < len; i++) {
                    v[i] *= s[b];
                }
                y.write(at, v, len);
            }
        }
        y.finish();
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> grads) {
        return List.of(new Backward(sameDiff, arg(0), arg(1), grads.get(0)).outputVariables());
    }

    /** {@code daair_scale_samples_bp}: from x, s and dL/dy, the gradients of x and s. */
    public static final class Backward extends JavaOp {

        /** For graph copies and loads. */
        public Backward() {}

        Backward(SameDiff sd, SDVariable x, SDVariable factors, SDVariable dy) {
            super(sd, new SDVariable[] {x, factors, dy});
        }

        @Override
        public String opName() {
            return "daair_scale_samples_bp";
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
            return likeInputs(in, 2);
        }

        @Override
        protected void compute(List<INDArray> in, List<INDArray> out) {
            INDArray x = in.get(0);
            if (x.isEmpty()) {
                return;
            }
            double[] s = in.get(1).castTo(DataType.DOUBLE).toDoubleVector();
            long perSample = x.length() / s.length;
            Values xs = Values.of(x);
            Values dy = Values.of(in.get(2));
            Values dx = Values.of(out.get(0));
            double[] xv = new double[BLOCK];
            double[] g = new double[BLOCK];
            double[] ds = new double[s.length];
            for (int b = 0; b < s.length; b++) {
                double sum = 0;
                for (long at = b * perSample, end = at + perSample; at < end; at += BLOCK) {
                    int len = (int) Math.min(BLOCK, end - at);
                    xs.read(at, xv, len);
                    dy.read(at, g, len);
                    for (int i = 0; i < len; i++) {
                        sum += g[i] * xv[i];
                        g[i] *= s[b];
                    }
                    dx.write(at, g, len);
                }
                ds[b] = sum;
            }
            dx.finish();
            out.get(1).assign(Nd4j.createFromArray(ds).reshape(out.get(1).shape()));
        }
    }
}
