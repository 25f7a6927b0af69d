package io.daair.nn.exec;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

/**
 * For replayed passes: the shapes of the outputs each op made last, with what determines them: its inputs' types
 * and shapes and the values of its integer inputs (shape vectors, indices, routing choices). An op seen again with
 * such inputs needs no shape calculation (a native call), a reshape of this pass's array becomes a view without
 * one, and an op whose outputs were all empty does not run at all: with top-1 routing a batch of one image leaves
 * all specialists but one without samples, and the ops of those empty branches were 450 of the 1,025 ops a {@code
 * tiny} inference ran. An empty array holds no values, so the same one serves every pass. Graphs with ops whose
 * output shapes follow floating-point values ({@code where}, {@code unique}, ...) are never replayed ({@link
 * PassPlan}).
 */
final class OutputShapes {

    /** Integer inputs of more values than this are not compared: such an op's shapes are not kept. */
    private static final int MAX_INTEGERS = 1024;

    /** What an op's output shapes are a function of ({@link #of} is null for inputs too large to compare cheaply). */
    record Inputs(long[] key) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Inputs i && Arrays.equals(key, i.key);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(key);
        }

        static Inputs of(List<INDArray> inputs) {
            int size = 0;
            for (INDArray in : inputs) {
                if (in != null && integers(in) && in.length() > MAX_INTEGERS) {
                    return null;
                }
                size += 2 + (in == null ? 0 : in.rank() + (integers(in) ? (int) in.length() : 0));
            }
            long[] key = new long[size];
            int k = 0;
            for (INDArray in : inputs) {
                if (in == null) {
                    key[k++] = -1;
                    key[k++] = -1;
                    continue;
                }
                key[k++] = in.dataType().ordinal();
                key[k++] = in.rank();
                for (long d : in.shape()) {
                    key[k++] = d;
                }
                if (integers(in)) {
                    for (int i = 0; i < in.length(); i++) {
                        key[k++] = in.getLong(i);
                    }
                }
            }
            return new Inputs(key);
        }

        /** Whether the values of {@code in} can decide shapes: integers or booleans. */
        private static boolean integers(INDArray in) {
            return !in.isEmpty() && !in.dataType().isFPType();
        }
    }

    /** Output shapes for inputs like {@code inputs}; {@code empty} holds the outputs when they were all empty. */
    record Known(Inputs inputs, LongShapeDescriptor[] shapes, INDArray[] empty) {}

    private final Map<String, Known> byOp = new HashMap<>();

    /** What {@code op} made last from inputs like {@code inputs}, or null (also for null inputs). */
    Known get(DifferentialFunction op, Inputs inputs) {
        Known k = inputs == null ? null : byOp.get(op.getOwnName());
        return k != null && k.inputs().equals(inputs) ? k : null;
    }

    /**
     * Records what {@code op} was given to write ({@code allocated}, the shapes the session calculated) and made
     * ({@code made}: the same arrays, or views, or other arrays) from {@code inputs}.
     */
    void remember(DifferentialFunction op, Inputs inputs, INDArray[] allocated, INDArray[] made) {
        if (inputs == null) {
            byOp.remove(op.getOwnName());
            return;
        }
        LongShapeDescriptor[] shapes = new LongShapeDescriptor[allocated.length];
        boolean empty = made.length > 0;
        for (int i = 0; i < allocated.length; i++) {
            INDArray a = allocated[i];
            if (a == null) {
                byOp.remove(op.getOwnName());
                return;
            }
            shapes[i] =
                    LongShapeDescriptor.fromShape(a.shape(), a.stride(), 1, a.ordering(), a.dataType(), a.isEmpty());
        }
        for (INDArray m : made) {
            empty &= m != null && m.isEmpty();
        }
        byOp.put(op.getOwnName(), new Known(inputs, shapes, empty ? made.clone() : null));
    }
}
