package io.daair.nn.ops;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

/**
 * A SameDiff custom op computed in Java ({@link JavaOps} runs it): its settings are integer arguments (so that
 * graph copies and loads restore them), output shapes come from the input values at run time.
 */
public abstract class JavaOp extends DynamicCustomOp {

    protected JavaOp() {}

    protected JavaOp(SameDiff sd, SDVariable[] args, int... settings) {
        super(null, sd, args, false);
        for (int s : settings) {
            addIArgument(s);
        }
    }

    /** The i-th integer setting. */
    protected final int setting(int i) {
        return iArguments.get(i).intValue();
    }

    @Override
    public final Map<String, Object> propertiesForFunction() {
        return Map.of();
    }

    @Override
    public final void setPropertiesForFunction(Map<String, Object> properties) {}

    @Override
    public final List<LongShapeDescriptor> calculateOutputShape(OpContext oc) {
        return shapes(oc != null ? oc.getInputArrays() : inputArguments());
    }

    protected abstract List<LongShapeDescriptor> shapes(List<INDArray> in);

    protected abstract void compute(List<INDArray> in, List<INDArray> out);

    /** A C-order shape, empty when a dimension is 0. */
    protected static LongShapeDescriptor descriptor(long[] shape, DataType type) {
        long[] strides = new long[shape.length];
        long stride = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= Math.max(1, shape[i]);
        }
        boolean empty = Arrays.stream(shape).anyMatch(d -> d == 0);
        return LongShapeDescriptor.fromShape(shape, strides, 1, 'c', type, empty);
    }

    /** The shapes and types of the first {@code count} inputs, for ops whose outputs are like their inputs. */
    protected static List<LongShapeDescriptor> likeInputs(List<INDArray> in, int count) {
        return in.subList(0, count).stream()
                .map(a -> descriptor(a.shape(), a.dataType()))
                .toList();
    }

    /** (n, ...) as n rows: (n, product of the rest), a view. */
    protected static INDArray rows(INDArray a) {
        return a.reshape('c', a.size(0), a.length() / Math.max(1, a.size(0)));
    }
}
