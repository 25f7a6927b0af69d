package io.daair.nn.exec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.config.ExecutionResult;
import org.nd4j.autodiff.samediff.config.SDValue;
import org.nd4j.autodiff.samediff.internal.AbstractSession.VarId;
import org.nd4j.autodiff.samediff.internal.FrameIter;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.shape.CreateView;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Assign;
import org.nd4j.linalg.api.ops.impl.transforms.same.Identity;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The inference sessions of {@code sd.output}: every intermediate array is released at its last use into an
 * {@link ArrayPool}, whose buffers the next arrays of the same length reuse, in this pass and the next ones.
 * SameDiff's default keeps released arrays in an {@code ArrayCacheMemoryMgr} keyed by exact shape, which a session
 * kept from image to image fills after the first pass; from then on every release evicts, comparing array
 * contents, and a 256x256 {@code small} inference took 2.1 s instead of 0.6 s (docs/performance.md). The first
 * pass for a set of requested outputs runs through the session's dependency tracking and is recorded; later ones
 * replay its op order ({@link PassPlan}) with the output shapes each op had from such inputs ({@link
 * OutputShapes}). Reshapes of this pass's arrays are views ({@link ArrayPool#reshapeView}); ops on parameters alone
 * run once while the parameters stay the same ({@link ParameterOps}).
 */
public final class ReleasingInference extends InferenceSession {

    private record PlanKey(Set<String> required, Set<String> placeholders) {}

    private static final FrameIter OUTER = new FrameIter(OUTER_FRAME, 0, null);

    private final Subgraphs subgraphs = new Subgraphs();
    private final ArrayPool pool = new ArrayPool();
    private final ParameterOps parameterOps = new ParameterOps();
    private final OutputShapes outputShapes = new OutputShapes();
    private final Map<String, OpContext> contexts = new HashMap<>();
    private final Map<PlanKey, PassPlan> plans = new HashMap<>();
    private final Set<PlanKey> notReplayable = new HashSet<>();
    private PassPlan.Recorder recorder;

    private ReleasingInference(SameDiff sd) {
        super(sd);
        setMmgr(pool);
    }

    @Override
    public ExecutionResult output(
            List<String> variables,
            Map<String, INDArray> placeholderValues,
            Map<String, SDValue> otherPlaceHolderValues,
            MultiDataSet batch,
            Collection<String> requiredActivations,
            List<Listener> listeners,
            At at) {
        Set<String> required = new LinkedHashSet<>(variables);
        if (requiredActivations != null) {
            required.addAll(requiredActivations);
        }
        Map<String, INDArray> placeholders = placeholderValues == null ? Map.of() : placeholderValues;
        PlanKey key = new PlanKey(Set.copyOf(required), Set.copyOf(placeholders.keySet()));
        boolean plain = (listeners == null || listeners.isEmpty())
                && (otherPlaceHolderValues == null || otherPlaceHolderValues.isEmpty())
                && placeholders.entrySet().stream()
                        .allMatch(e -> e.getValue() != null
                                && e.getValue().dataType()
                                        == sameDiff.getVariable(e.getKey()).dataType());
        PassPlan plan = plans.get(key);
        if (plain && plan != null) {
            return replay(plan, variables, placeholders);
        }
        boolean record = plain && !notReplayable.contains(key);
        recorder = record ? new PassPlan.Recorder() : null;
        try {
            ExecutionResult out = super.output(
                    variables, placeholderValues, otherPlaceHolderValues, batch, requiredActivations, listeners, at);
            if (record) {
                PassPlan recorded = recorder.plan(sameDiff, required);
                if (recorded != null) {
                    plans.put(key, recorded);
                } else {
                    notReplayable.add(key);
                }
            }
            return out;
        } finally {
            recorder = null;
        }
    }

    /** One pass in the recorded order; each intermediate array goes back to the pool after its last reader. */
    private ExecutionResult replay(PassPlan plan, List<String> variables, Map<String, INDArray> placeholders) {
        freedArrays.clear();
        pool.startPass();
        Set<String> requested = new LinkedHashSet<>(variables);
        Map<String, SDValue> outputs = new LinkedHashMap<>();
        Map<INDArray, Integer> holders = new IdentityHashMap<>(); // an identity op's output is its input array
        for (PassPlan.Step s : plan.steps()) {
            ExecutionResult out = run(s, inputs(s.args(), placeholders), placeholders, requested);
            for (int i = 0; i < s.outputs().length; i++) {
                SDValue value = out.hasSingle() ? SDValue.create(out.resultAt(i)) : out.valueWithKeyAtIndex(i, false);
                putNodeValue(value, s.outputs()[i]);
                if (value != null && value.getTensorValue() != null) {
                    holders.merge(value.getTensorValue(), 1, Integer::sum);
                }
                if (requested.contains(s.outputs()[i].getVariable())) {
                    outputs.put(s.outputs()[i].getVariable(), value);
                }
            }
            for (VarId dead : s.lastUses()) {
                SDValue value = getSdValue(dead);
                INDArray array = value == null ? null : value.getTensorValue();
                if (array != null && holders.merge(array, -1, Integer::sum) == 0) {
                    holders.remove(array);
                    pool.releaseIfIssued(array);
                }
            }
        }
        return ExecutionResult.builder().valueOutputs(outputs).build();
    }

    /**
     * One op of a replayed pass: kept outputs when it reads parameters alone, the empty outputs it made last from
     * such inputs, a view when it reshapes an array of this pass, else the op run, with the output shapes it had
     * last from such inputs when known (no shape calculation).
     */
    private ExecutionResult run(
            PassPlan.Step s, List<INDArray> inputs, Map<String, INDArray> placeholders, Set<String> requested) {
        DifferentialFunction fn = s.function();
        INDArray[] kept = parameterOps.outputs(fn, inputs);
        if (kept != null) {
            return ExecutionResult.createFrom(List.of(fn.outputVariablesNames()), kept);
        }
        OutputShapes.Inputs like = OutputShapes.Inputs.of(inputs);
        OutputShapes.Known known = outputShapes.get(fn, like);
        if (known != null && known.empty() != null) {
            return ExecutionResult.createFrom(List.of(fn.outputVariablesNames()), known.empty());
        }
        INDArray view = known == null || inputs.isEmpty()
                ? null
                : pool.reshapeView(fn, inputs.get(0), known.shapes()[0].getShape());
        if (view != null) {
            return ExecutionResult.createFrom(fn.outputVariablesNames()[0], view);
        }
        OpContext context = known != null && plainCustomOp(fn)
                ? parameterize((DynamicCustomOp) fn, inputs, known.shapes(), requested)
                : getAndParameterizeOp(
                                fn.getOwnName(),
                                OUTER,
                                s.inputs(),
                                s.allIterInputs(),
                                s.constAndPhInputs(),
                                placeholders,
                                requested,
                                Map.of())
                        .getSecond();
        INDArray[] allocated =
                context == null ? null : context.getOutputArrays().toArray(INDArray[]::new);
        ExecutionResult out = doExec(fn, context, OUTER, s.inputs(), s.allIterInputs(), s.constAndPhInputs(), Map.of());
        fn.clearArrays();
        if (context != null) {
            context.purge();
        }
        if (allocated != null && out.hasSingle() && known == null) {
            INDArray[] made = new INDArray[out.numResults()];
            for (int i = 0; i < made.length; i++) {
                made[i] = out.resultAt(i);
            }
            outputShapes.remember(fn, like, allocated, made);
        }
        return out;
    }

    /**
     * Whether the session would parameterize {@code fn} as any custom op: inputs, arguments, new outputs (not an
     * identity or a view, which pass their input on, nor an assignment, which writes into its first input).
     */
    private static boolean plainCustomOp(DifferentialFunction fn) {
        return fn instanceof DynamicCustomOp
                && !(fn instanceof Identity || fn instanceof CreateView || fn instanceof Assign);
    }

    /** {@code getAndParameterizeOp} for such an op whose output shapes are known. */
    private OpContext parameterize(
            DynamicCustomOp op, List<INDArray> inputs, LongShapeDescriptor[] shapes, Set<String> requested) {
        OpContext context = contexts.computeIfAbsent(
                op.getOwnName(), k -> Nd4j.getExecutioner().buildContext());
        context.setArgs(inputs.toArray(INDArray[]::new), op.iArgs(), op.dArgs(), op.tArgs(), op.bArgs());
        String[] names = op.outputVariablesNames();
        for (int i = 0; i < shapes.length; i++) {
            context.setOutputArray(i, pool.allocate(requested.contains(names[i]), shapes[i]));
        }
        return context;
    }

    /** The arrays an op of a replayed pass reads, in its argument order. */
    private List<INDArray> inputs(SDVariable[] args, Map<String, INDArray> placeholders) {
        List<INDArray> in = new ArrayList<>(args.length);
        for (SDVariable a : args) {
            in.add(
                    switch (a.getVariableType()) {
                        case VARIABLE, CONSTANT -> a.getArr();
                        case PLACEHOLDER -> placeholders.get(a.name());
                        default -> getSdValue(VarId.createDefault(a.name())).getTensorValue();
                    });
        }
        return in;
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
        ExecutionResult out;
        INDArray[] kept = parameterOps.outputs(op, context);
        INDArray view = kept == null ? pool.reshapeView(op, context) : null;
        if (kept != null) {
            pool.releaseOutputs(context);
            out = ExecutionResult.createFrom(List.of(op.outputVariablesNames()), kept);
        } else if (view != null) {
            out = ExecutionResult.createFrom(op.outputVariablesNames()[0], view);
        } else {
            out = super.doExec(op, context, frameIter, opInputs, allIterInputs, constAndPhInputs, otherPlaceholders);
            if (out.hasSingle()) {
                INDArray[] outputs = new INDArray[out.numResults()];
                for (int i = 0; i < outputs.length; i++) {
                    outputs[i] = out.resultAt(i);
                }
                parameterOps.keep(op, context, outputs);
            }
        }
        if (recorder != null) {
            recorder.ran(op, frameIter, opInputs, allIterInputs, constAndPhInputs, out);
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
