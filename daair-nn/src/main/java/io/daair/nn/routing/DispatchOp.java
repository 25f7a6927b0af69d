package io.daair.nn.routing;

import io.daair.nn.ops.JavaOp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

/**
 * {@code daair_dispatch}: x (B, ...) and the expert index (B) give E sub-batches (n_e, ...), the samples of
 * expert e in batch order (n_e may be 0). Its backward is {@link CombineOp} of the gradients.
 */
public final class DispatchOp extends JavaOp {

    private int experts() {
        return setting(0);
    }

    public static final String NAME = "daair_dispatch";

    /** For graph copies and loads. */
    public DispatchOp() {}

    public DispatchOp(SameDiff sd, SDVariable x, SDVariable index, int experts) {
        super(sd, new SDVariable[] {x, index}, experts);
    }

    @Override
    public String opName() {
        return NAME;
    }

    @Override
    public int getNumOutputs() {
        return experts();
    }

    @Override
    public List<DataType> calculateOutputDataTypes(List<DataType> in) {
        return Collections.nCopies(experts(), in.get(0));
    }

    @Override
    protected List<LongShapeDescriptor> shapes(List<INDArray> in) {
        long[] counts = new long[experts()];
        for (int k : in.get(1).toIntVector()) {
            counts[k]++;
        }
        List<LongShapeDescriptor> out = new ArrayList<>();
        for (long n : counts) {
            long[] shape = in.get(0).shape().clone();
            shape[0] = n; // [n_e, ...]
            out.add(descriptor(shape, in.get(0).dataType()));
        }
        return out;
    }

    @Override
    protected void compute(List<INDArray> in, List<INDArray> out) {
        INDArray x = rows(in.get(0)); // [B, H*W*C]
        int[] index = in.get(1).toIntVector();
        int[] next = new int[experts()];
        for (int b = 0; b < index.length; b++) {
            rows(out.get(index[b])).getRow(next[index[b]]++).assign(x.getRow(b));
        }
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> grads) {
        SDVariable index = arg(1);
        SDVariable dx = new CombineOp(sameDiff, grads.toArray(new SDVariable[0]), index).outputVariable();
        return List.of(dx, sameDiff.zerosLike(index));
    }
}
