package io.daair.nn.exec;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.config.ExecutionResult;
import org.nd4j.autodiff.samediff.config.SDValue;
import org.nd4j.autodiff.samediff.internal.AbstractSession.VarId;
import org.nd4j.autodiff.samediff.internal.FrameIter;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.TrainingSession;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * One training step of a SameDiff graph, as {@code sd.fit(batch)} takes it (a fresh {@link TrainingSession}:
 * forward, backward, the updater applied to each gradient as soon as it is computed), minus three costs of M2.1's
 * {@code fit}:
 * <ul>
 *   <li>the session works out which ops to run from the graph on every call; here that is done once
 *       ({@link Subgraphs}).
 *   <li>{@code fit} asks the session for every gradient as an output, and the session checks each requested
 *       output against a fresh copy of the graph's whole variable map: 336 copies of 5,729 entries per
 *       {@code tiny} step. Here the gradients are required activations, not outputs, so nothing is copied.
 *   <li>{@code fit} hands the gradients back after the step, for the garbage collector to free. Here each one
 *       is released as soon as its parameter has been updated.
 *   <li>{@code fit}'s session allocates every array afresh. Here the arrays released at their last use (activations,
 *       gradients) go to an {@link ArrayPool} that the next arrays of the same length take, in this step and the
 *       next ones: after the first step a step allocates almost nothing.
 * </ul>
 * The arithmetic is the same op for op: parameters after a step equal {@code fit}'s bit for bit
 * ({@code TrainingStepTest}).
 */
public final class TrainingStep implements AutoCloseable {

    private final SameDiff sd;
    private final SameDiff gradients;
    private final Set<String> parameters = new LinkedHashSet<>();
    private final Subgraphs subgraphs = new Subgraphs();
    private final ArrayPool pool = new ArrayPool();
    private final Map<String, OpContext> contexts = new HashMap<>();

    /** @param sd a graph with its training configuration set */
    public TrainingStep(SameDiff sd) {
        this.sd = sd;
        if (sd.getFunction("grad") == null) {
            sd.createGradFunction();
        }
        this.gradients = sd.getFunction("grad");
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                parameters.add(v.name());
            }
        }
    }

    /**
     * One step on {@code placeholders}; {@code batch} is what the listeners (these and the graph's own) see. The
     * updater state must exist ({@code sd.getUpdaterMap() != null}); the iteration count advances by one.
     */
    public Loss run(Map<String, INDArray> placeholders, MultiDataSet batch, List<Listener> listeners) {
        TrainingConfig config = sd.getTrainingConfig();
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, GradientUpdater> updaters = (Map) sd.getUpdaterMap();
        if (config == null || updaters == null) {
            throw new IllegalStateException("the graph has no training configuration or updater state yet");
        }
        gradients.setTrainingConfig(config);
        At at = At.builder()
                .epoch(config.getEpochCount())
                .iteration(config.getIterationCount())
                .trainingThreadNum(0)
                .javaThreadNum(Thread.currentThread().getId())
                .operation(Operation.TRAINING)
                .build();
        List<Listener> all = new ArrayList<>(listeners);
        all.addAll(sd.getListeners());
        pool.startPass();
        Loss loss = new Session(gradients, subgraphs, pool, contexts)
                .trainingIteration(config, placeholders, parameters, updaters, batch, sd.getLossVariables(), all, at);
        config.incrementIterationCount();
        return loss;
    }

    /** Frees the memory the steps keep for the next one. */
    public void close() {
        try {
            for (OpContext context : contexts.values()) {
                context.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot close an op context", e);
        } finally {
            contexts.clear();
            pool.close();
        }
    }

    /**
     * Whether the steps have given {@code array}'s memory back: closed, or waiting in the pool for the next array of
     * its length. For an array a step computed, checked after that step.
     */
    public boolean released(INDArray array) {
        return array.wasClosed() || pool.holds(array.data());
    }

    /** The session: gradients are required, not requested, and released once applied; the subgraph is known. */
    private static final class Session extends TrainingSession {

        private final Subgraphs subgraphs;
        private final ArrayPool pool;

        Session(SameDiff gradients, Subgraphs subgraphs, ArrayPool pool, Map<String, OpContext> contexts) {
            super(gradients);
            this.subgraphs = subgraphs;
            this.pool = pool;
            setMmgr(pool);
            shareOpContexts(contexts);
        }

        /**
         * The op contexts (one native context per op, refilled with arrays at every execution) of the steps before,
         * instead of 6,500 new ones per {@code tiny} step that only a garbage collection frees.
         */
        private void shareOpContexts(Map<String, OpContext> contexts) {
            try {
                Field field = InferenceSession.class.getDeclaredField("opContexts");
                field.setAccessible(true);
                field.set(this, contexts);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("ND4J's InferenceSession has no opContexts map to share", e);
            }
        }

        @Override
        protected void initSubgraph(Set<String> required) {
            subgraphs.fill(required, subgraph, subgraphOps, zeroInputOpsInSubgraph, super::initSubgraph);
        }

        @Override
        public Map<String, INDArray> output(
                List<String> outputs,
                Map<String, INDArray> placeholders,
                MultiDataSet batch,
                Collection<String> required,
                List<Listener> listeners,
                At at) {
            // trainingIteration asks for the gradients as outputs and ignores what comes back
            Set<String> all = new HashSet<>(required);
            all.addAll(outputs);
            return super.output(List.of(), placeholders, batch, all, listeners, at);
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
            // a gradient is turned into its update in place: it gets memory of its own, never a view
            boolean gradient = gradVarToVarMap.containsKey(op.outputVariablesNames()[0]);
            INDArray view = gradient ? null : pool.reshapeView(op, context);
            return view != null
                    ? ExecutionResult.createFrom(op.outputVariablesNames()[0], view)
                    : super.doExec(
                            op, context, frameIter, opInputs, allIterInputs, constAndPhInputs, otherPlaceholders);
        }

        @Override
        public ExecutionResult getOutputs(
                Pair<SameDiffOp, OpContext> opPair,
                FrameIter frameIter,
                Set<VarId> opInputs,
                Set<VarId> allIterInputs,
                Set<String> constAndPhInputs,
                List<Listener> listeners,
                At at,
                MultiDataSet batch,
                Set<String> requested,
                Map<String, SDValue> otherPlaceholders) {
            List<String> names = opPair.getFirst().getOutputsOfOp();
            // a gradient is kept as an output (unreleased) until super has applied the updater, then released
            Set<String> keep = requested;
            if (names.stream().anyMatch(gradVarToVarMap::containsKey)) {
                keep = new HashSet<>(requested);
                names.stream().filter(gradVarToVarMap::containsKey).forEach(keep::add);
            }
            ExecutionResult out = super.getOutputs(
                    opPair,
                    frameIter,
                    opInputs,
                    allIterInputs,
                    constAndPhInputs,
                    listeners,
                    at,
                    batch,
                    keep,
                    otherPlaceholders);
            for (int i = 0; i < names.size(); i++) {
                INDArray gradient = gradVarToVarMap.containsKey(names.get(i)) ? out.resultAt(i) : null;
                if (gradient != null && gradient.closeable()) {
                    freedArrays.add(gradient.getId());
                    pool.release(gradient);
                }
            }
            return out;
        }
    }
}
