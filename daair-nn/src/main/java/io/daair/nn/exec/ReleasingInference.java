package io.daair.nn.exec;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.config.ExecutionResult;
import org.nd4j.autodiff.samediff.config.SDValue;
import org.nd4j.autodiff.samediff.internal.AbstractSession.VarId;
import org.nd4j.autodiff.samediff.internal.FrameIter;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;

/**
 * The inference sessions of {@code sd.output}: every intermediate array is released at its last use (the session's
 * dependency tracker says when) into an {@link ArrayPool}, whose buffers the next arrays of the same length reuse,
 * in this pass and the next ones. SameDiff's default keeps released arrays in an {@code ArrayCacheMemoryMgr} keyed
 * by exact shape, which a session kept from image to image fills after the first pass; from then on every
 * release evicts, comparing array contents, and a 256x256 {@code small} inference took 2.1 s instead of 0.6 s
 * (docs/performance.md). Which ops a pass runs is worked out once per set of requested outputs
 * ({@link Subgraphs}); reshapes of this pass's arrays are views ({@link ArrayPool#reshapeView}); ops on parameters
 * alone run once while the parameters stay the same ({@link ParameterOps}).
 */
public final class ReleasingInference extends InferenceSession {

    private final Subgraphs subgraphs = new Subgraphs();
    private final ArrayPool pool = new ArrayPool();
    private final ParameterOps parameterOps = new ParameterOps();

    private ReleasingInference(SameDiff sd) {
        super(sd);
        setMmgr(pool);
    }

    @Override
    protected void initSubgraph(Set<String> required) {
        subgraphs.fill(required, subgraph, subgraphOps, zeroInputOpsInSubgraph, super::initSubgraph);
    }

    @Override
    public ExecutionResult doExec(
            DifferentialFunction op,
            OpContext context,
            FrameIter frameIter,
            Set<VarId> opInputs,
            Set<VarId> allIterInputs,
            Set<String> constAndPhInputs,
            Map<String, SDValue> otherPlaceholders) {
        INDArray[] kept = parameterOps.outputs(op, context);
        if (kept != null) {
            pool.releaseOutputs(context);
            return ExecutionResult.createFrom(List.of(op.outputVariablesNames()), kept);
        }
        INDArray view = pool.reshapeView(op, context);
        if (view != null) {
            return ExecutionResult.createFrom(op.outputVariablesNames()[0], view);
        }
        ExecutionResult out =
                super.doExec(op, context, frameIter, opInputs, allIterInputs, constAndPhInputs, otherPlaceholders);
        if (out.hasSingle()) {
            INDArray[] outputs = new INDArray[out.numResults()];
            for (int i = 0; i < outputs.length; i++) {
                outputs[i] = out.resultAt(i);
            }
            parameterOps.keep(op, context, outputs);
        }
        return out;
    }

    /** Makes every later {@code SameDiff.output} session in this JVM one of these (idempotent). */
    public static synchronized void install() {
        SameDiff.bindInferenceFactory(ReleasingInference::new);
    }

    @Override
    protected Map<String, INDArray> preprocessPlaceholders(Map<String, INDArray> placeholders, At at) {
        freedArrays.clear(); // never cleared in M2.1: a heap leak over a long-lived session's passes
        pool.startPass();
        return super.preprocessPlaceholders(placeholders, at);
    }
}
