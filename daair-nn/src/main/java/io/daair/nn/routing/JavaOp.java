package io.daair.nn.routing;

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
 * A SameDiff custom op computed in Java ({@link RoutingOps} runs it): the number of experts E is its integer
 * argument (so that graph copies and loads restore it), output shapes come from the input values at run time.
 */
abstract class JavaOp extends DynamicCustomOp {

    protected JavaOp() {}

    protected JavaOp(SameDiff sd, SDVariable[] args, int experts) {
        super(null, sd, args, false);
        addIArgument(experts);
    }

    final int experts() {
        return iArguments.get(0).intValue();
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

    abstract List<LongShapeDescriptor> shapes(List<INDArray> in);

    abstract void compute(List<INDArray> in, List<INDArray> out);

    /** A C-order shape, empty when a dimension is 0. */
    static LongShapeDescriptor descriptor(long[] shape, DataType type) {
        long[] strides = new long[shape.length];
        long stride = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= Math.max(1, shape[i]);
        }
        boolean empty = Arrays.stream(shape).anyMatch(d -> d == 0);
        return LongShapeDescriptor.fromShape(shape, strides, 1, 'c', type, empty);
    }

    /** (n, ...) as n rows: (n, product of the rest), a view. */
    static INDArray rows(INDArray a) {
        return a.reshape('c', a.size(0), a.length() / Math.max(1, a.size(0)));
    }
}
