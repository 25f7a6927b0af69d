package io.daair.nn.exec;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;

/**
 * For inference sessions: the outputs of ops that read only parameters and constants (the reshapes and slices that
 * turn stored weights into the matrices the products take: 291 of the 1,549 ops of a {@code tiny} inference), kept
 * from pass to pass. An entry holds a copy of the bytes its inputs had; it is used only while the inputs hold
 * exactly those bytes, so a training step or a weight load in between is seen (comparing the bytes costs less
 * than running the op). Kept outputs are marked not closeable, so the session's releases leave them alone.
 */
final class ParameterOps {

    private record Entry(INDArray[] inputs, ByteBuffer[] inputBytes, INDArray[] outputs) {}

    private final Map<String, Entry> byOp = new HashMap<>();

    /** The kept outputs of {@code op} for the inputs in {@code context}, or null (not such an op, or changed). */
    INDArray[] outputs(DifferentialFunction op, OpContext context) {
        Entry e = byOp.get(op.getOwnName());
        if (e == null || context == null) {
            return null;
        }
        for (int i = 0; i < e.inputs().length; i++) {
            INDArray in = context.getInputArray(i);
            if (in != e.inputs()[i] || bytes(in).mismatch(e.inputBytes()[i]) != -1) {
                forget(byOp.remove(op.getOwnName())); // the parameters changed: run the op again
                return null;
            }
        }
        return e.outputs();
    }

    /** Keeps what {@code op} just computed into {@code context} when all its inputs are parameters or constants. */
    void keep(DifferentialFunction op, OpContext context, INDArray[] outputs) {
        SDVariable[] args = op.args();
        if (args.length == 0 || context == null) {
            return;
        }
        for (SDVariable a : args) {
            if (a.getVariableType() != VariableType.VARIABLE && a.getVariableType() != VariableType.CONSTANT) {
                return;
            }
        }
        INDArray[] inputs = context.getInputArrays().toArray(INDArray[]::new);
        ByteBuffer[] copies = new ByteBuffer[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (!plain(inputs[i])) {
                return;
            }
            ByteBuffer b = bytes(inputs[i]);
            copies[i] = ByteBuffer.allocate(b.remaining()).put(b).flip();
        }
        for (INDArray out : outputs) {
            if (out == null || out.isView() || context.getInputArrays().contains(out)) {
                return; // an identity passes its input through: nothing to keep
            }
        }
        for (INDArray out : outputs) {
            out.setCloseable(false); // the session's release at its last use must not free or pool it
        }
        byOp.put(op.getOwnName(), new Entry(inputs, copies, outputs.clone()));
    }

    private static void forget(Entry e) {
        for (INDArray out : e.outputs()) {
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
