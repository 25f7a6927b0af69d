package io.daair.nn.exec;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.shape.Shape;
import org.nd4j.linalg.api.ops.random.BaseRandomOp;

/**
 * For inference sessions: the outputs of ops whose values do not change from pass to pass, kept. Those are the ops
 * that read only parameters and constants (the reshapes and slices that turn stored weights into the matrices the
 * products take: 291 of the 1,549 ops of a {@code tiny} inference), the {@code shape_of} ops, and the ops that
 * read only those (the shape vectors the reshapes take, built from the input's shape): for a given image size the
 * graph's shapes are static and its shape plumbing runs once. An entry holds a copy of the bytes its inputs had
 * (for {@code shape_of}, its input's shape); it is used only while the inputs hold exactly those, so a training
 * step, a weight load or an image of another size in between is seen (comparing costs less than running the op).
 * Kept outputs are marked not closeable, so the session's releases leave them alone.
 */
final class ParameterOps {

    /** For {@code shape_of}, inputShape is set and inputs and inputBytes are null. */
    private record Entry(INDArray[] inputs, ByteBuffer[] inputBytes, long[] inputShape, INDArray[] outputs) {}

    private final Map<String, Entry> byOp = new HashMap<>();
    private final Set<INDArray> kept = Collections.newSetFromMap(new IdentityHashMap<>());

    /** The kept outputs of {@code op} for the inputs in {@code context}, or null (not such an op, or changed). */
    INDArray[] outputs(DifferentialFunction op, OpContext context) {
        return context == null ? null : outputs(op, context.getInputArrays());
    }

    /** The kept outputs of {@code op} for {@code inputs}, or null (not such an op, or changed). */
    INDArray[] outputs(DifferentialFunction op, List<INDArray> inputs) {
        Entry e = byOp.get(op.getOwnName());
        if (e == null) {
            return null;
        }
        boolean same;
        if (e.inputShape() != null) {
            same = Arrays.equals(inputs.get(0).shape(), e.inputShape());
        } else {
            same = inputs.size() == e.inputs().length;
            for (int i = 0; i < e.inputs().length && same; i++) {
                INDArray in = inputs.get(i);
                same = in == e.inputs()[i] && bytes(in).mismatch(e.inputBytes()[i]) == -1;
            }
        }
        if (!same) {
            forget(byOp.remove(op.getOwnName())); // the parameters or the image size changed: run the op again
            return null;
        }
        return e.outputs();
    }

    /**
     * Keeps what {@code op} just computed into {@code context} when it is a {@code shape_of} or all its inputs are
     * parameters, constants or kept outputs.
     */
    void keep(DifferentialFunction op, OpContext context, INDArray[] outputs) {
        if (op.args().length == 0 || context == null || op instanceof BaseRandomOp) {
            return;
        }
        List<INDArray> inputs = context.getInputArrays();
        for (INDArray out : outputs) {
            if (out == null || out.isView() || inputs.stream().anyMatch(in -> in == out)) {
                return; // an identity passes its input through: nothing to keep
            }
        }
        Entry entry;
        if (op instanceof Shape) {
            entry = new Entry(null, null, inputs.get(0).shape(), outputs.clone());
        } else {
            SDVariable[] args = op.args();
            ByteBuffer[] copies = new ByteBuffer[inputs.size()];
            for (int i = 0; i < inputs.size(); i++) {
                VariableType type = args[i].getVariableType();
                boolean fixed =
                        type == VariableType.VARIABLE || type == VariableType.CONSTANT || kept.contains(inputs.get(i));
                if (!fixed || !plain(inputs.get(i))) {
                    return;
                }
                ByteBuffer b = bytes(inputs.get(i));
                copies[i] = ByteBuffer.allocate(b.remaining()).put(b).flip();
            }
            entry = new Entry(inputs.toArray(INDArray[]::new), copies, null, outputs.clone());
        }
        for (INDArray out : outputs) {
            out.setCloseable(false); // the session's release at its last use must not free or pool it
            kept.add(out);
        }
        byOp.put(op.getOwnName(), entry);
    }

    private void forget(Entry e) {
        for (INDArray out : e.outputs()) {
            kept.remove(out);
            out.setCloseable(true);
            out.close();
        }
    }

    /** Whether a's values are its whole buffer (in any order), so that the buffer's bytes tell a change. */
    private static boolean plain(INDArray a) {
        return !a.isEmpty() && !a.isView() && a.data().offset() == 0 && a.data().length() == a.length();
    }

    private static ByteBuffer bytes(INDArray a) {
        return a.data().asNio().duplicate().clear().limit((int)
                (a.length() * a.dataType().width()));
    }
}
