package io.daair.nn.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.config.ExecutionResult;
import org.nd4j.autodiff.samediff.config.SDValueType;
import org.nd4j.autodiff.samediff.internal.AbstractSession;
import org.nd4j.autodiff.samediff.internal.AbstractSession.VarId;
import org.nd4j.autodiff.samediff.internal.FrameIter;
import org.nd4j.linalg.api.ops.custom.Invoke;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.BaseCompatOp;
import org.nd4j.linalg.api.ops.impl.shape.tensorops.BaseTensorOp;

/**
 * The ops of an inference pass in the order the session ran them, with what the session handed each one, and for
 * each op the intermediate variables it is the last to read. In a graph without loops or branches that order is
 * valid for every pass with the same requested outputs, whatever the values and shapes (routed sub-batches
 * included), so later passes replay it ({@link ReleasingInference}) instead of tracking dependencies op by op:
 * the session's bookkeeping was a fifth of a {@code tiny} 256x256 inference (docs/performance.md).
 */
final class PassPlan {

    /** One op to run: the session's arguments for it, its outputs, and the variables that die after it. */
    record Step(
            DifferentialFunction function,
            SDVariable[] args,
            Set<VarId> inputs,
            Set<VarId> allIterInputs,
            Set<String> constAndPhInputs,
            VarId[] outputs,
            List<VarId> lastUses) {}

    /** libnd4j ops whose output shapes depend on the values of floating-point inputs. */
    private static final Set<String> VALUE_SHAPED = Set.of(
            "where",
            "Where",
            "where_np",
            "unique",
            "unique_with_counts",
            "boolean_mask",
            "dynamic_partition",
            "choose",
            "listdiff",
            "non_max_suppression",
            "non_max_suppression_v3",
            "non_max_suppression_overlaps");

    private final List<Step> steps;

    private PassPlan(List<Step> steps) {
        this.steps = steps;
    }

    List<Step> steps() {
        return steps;
    }

    /** Collects the ops of one pass as the session runs them; {@link #plan} tells whether they can be replayed. */
    static final class Recorder {

        private record Ran(
                DifferentialFunction op, Set<VarId> inputs, Set<VarId> allIterInputs, Set<String> constAndPh) {}

        private final List<Ran> ran = new ArrayList<>();
        private boolean replayable = true;

        void ran(
                DifferentialFunction op,
                FrameIter frameIter,
                Set<VarId> inputs,
                Set<VarId> allIterInputs,
                Set<String> constAndPhInputs,
                ExecutionResult result) {
            boolean outerFrame = frameIter != null
                    && AbstractSession.OUTER_FRAME.equals(frameIter.getFrame())
                    && frameIter.getIteration() == 0
                    && frameIter.getParentFrame() == null;
            if (!outerFrame
                    || op instanceof BaseCompatOp
                    || op instanceof BaseTensorOp
                    || op instanceof Invoke
                    || holdsLists(result)
                    || VALUE_SHAPED.contains(op.opName())) {
                // loops, branches, tensor lists: the session decides what runs; ops whose output shapes follow
                // floating-point values: replays take output shapes from input shapes (OutputShapes)
                replayable = false;
            }
            ran.add(new Ran(op, copy(inputs), copy(allIterInputs), copy(constAndPhInputs)));
        }

        /** The plan of the recorded pass for outputs {@code required}, or null when it has control flow. */
        PassPlan plan(SameDiff sd, Set<String> required) {
            if (!replayable) {
                return null;
            }
            Map<VarId, Integer> lastUse = new HashMap<>();
            List<VarId[]> outputs = new ArrayList<>();
            for (int i = 0; i < ran.size(); i++) {
                Ran r = ran.get(i);
                if (r.inputs() != null) {
                    for (VarId in : r.inputs()) {
                        if (sd.getVariable(in.getVariable()).getVariableType() == VariableType.ARRAY) {
                            lastUse.put(in, i);
                        }
                    }
                }
                String[] names = r.op().outputVariablesNames();
                VarId[] out = new VarId[names.length];
                for (int j = 0; j < names.length; j++) {
                    out[j] = VarId.createDefault(names[j]);
                }
                outputs.add(out);
            }
            if (!outputs.stream()
                    .flatMap(Arrays::stream)
                    .map(VarId::getVariable)
                    .toList()
                    .containsAll(required)) {
                return null; // a placeholder or parameter requested as such
            }
            List<List<VarId>> dying = new ArrayList<>();
            for (int i = 0; i < ran.size(); i++) {
                dying.add(new ArrayList<>());
            }
            for (int i = 0; i < ran.size(); i++) {
                for (VarId out : outputs.get(i)) {
                    if (!required.contains(out.getVariable())) {
                        dying.get(lastUse.getOrDefault(out, i)).add(out); // read by none: dies where it is made
                    }
                }
            }
            List<Step> steps = new ArrayList<>(ran.size());
            for (int i = 0; i < ran.size(); i++) {
                Ran r = ran.get(i);
                steps.add(new Step(
                        r.op(),
                        r.op().args(),
                        r.inputs(),
                        r.allIterInputs(),
                        r.constAndPh(),
                        outputs.get(i),
                        List.copyOf(dying.get(i))));
            }
            return new PassPlan(List.copyOf(steps));
        }

        private static boolean holdsLists(ExecutionResult result) {
            return result.hasValues()
                    && result.getValueOutputs().values().stream()
                            .anyMatch(v -> v != null && v.getSdValueType() != SDValueType.TENSOR);
        }

        private static <T> Set<T> copy(Set<T> s) {
            return s == null ? null : new LinkedHashSet<>(s);
        }
    }
}
