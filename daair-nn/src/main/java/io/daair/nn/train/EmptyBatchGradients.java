package io.daair.nn.train;

import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.reduce.MmulBp;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Zeroes the weight gradient of a matrix product over zero rows, which is a sum over no sample. A
 * specialist that no sample of the minibatch was routed to computes its 1x1 convolutions (matrix
 * products, see {@code Graph.pointwise}) on an empty sub-batch, and M2.1's {@code matmul_bp} then leaves the
 * weight gradient uninitialised: it held recycled memory (values up to 0.35 seen), so idle specialists
 * took full Adam steps, different from run to run.
 */
final class EmptyBatchGradients extends BaseListener {

    @Override
    public boolean isActive(Operation operation) {
        return operation == Operation.TRAINING;
    }

    @Override
    public void opExecution(
            SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext context, INDArray[] outputs) {
        if (!(op.getOp() instanceof MmulBp) || context == null || !hasEmptyInput(context)) {
            return;
        }
        for (INDArray out : outputs) {
            if (!out.isEmpty()) {
                out.assign(0);
            }
        }
    }

    private static boolean hasEmptyInput(OpContext context) {
        for (INDArray in : context.getInputArrays()) {
            if (in.isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
