package io.daair.nn.routing;

import io.daair.nn.ops.JavaOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

/**
 * {@code daair_combine}: E sub-batches (n_e, ...) and the expert index (B) give (B, ...), each sample back at
 * its place in the batch. Its backward is {@link DispatchOp} of the gradient.
 */
public final class CombineOp extends JavaOp {

    private int experts() {
        return setting(0);
    }

    public static final String NAME = "daair_combine";

    /** For graph copies and loads. */
    public CombineOp() {}

    public CombineOp(SameDiff sd, SDVariable[] parts, SDVariable index) {
        super(sd, withIndex(parts, index), parts.length);
    }

    private static SDVariable[] withIndex(SDVariable[] parts, SDVariable index) {
        SDVariable[] args = Arrays.copyOf(parts, parts.length + 1);
        args[parts.length] = index;
        return args;
    }

    @Override
    public String opName() {
        return NAME;
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
        long[] shape = in.get(0).shape().clone();
        shape[0] = in.get(experts()).length(); // [B, ...]
        return List.of(descriptor(shape, in.get(0).dataType()));
    }

    @Override
    protected void compute(List<INDArray> in, List<INDArray> out) {
        INDArray merged = rows(out.get(0)); // [B, H*W*C]
        int[] index = in.get(experts()).toIntVector();
        int[] next = new int[experts()];
        for (int b = 0; b < index.length; b++) {
            merged.getRow(b).assign(rows(in.get(index[b])).getRow(next[index[b]]++));
        }
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> grads) {
        SDVariable index = arg(experts());
        List<SDVariable> out = new ArrayList<>(
                Arrays.asList(new DispatchOp(sameDiff, grads.get(0), index, experts()).outputVariables()));
        out.add(sameDiff.zerosLike(index));
        return out;
    }
}
