package io.daair.nn.exec;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.internal.memory.AbstractMemoryMgr;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.shape.Reshape;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The memory of a session's intermediate arrays, kept from pass to pass: an array the session releases at its last
 * use gives its buffer back to this pool, and the next request for a buffer of the same type and length (any shape)
 * gets it instead of a fresh allocation. Graphs built for one shape ask for the same buffers on every pass, so
 * after the first pass a training step or an inference allocates almost nothing: no {@code malloc}, no page
 * faults, nothing for the allocator to fragment.
 *
 * <p>Bounded: a buffer that waited in the pool through a whole pass without being taken is freed at the start of
 * the next ({@link #startPass}), so the pool holds at most what one pass released. Arrays that may share their
 * buffer (views, attached or constant arrays) are never pooled, only closed if closeable, as before. Not
 * thread-safe: one pool per session.
 */
final class ArrayPool extends AbstractMemoryMgr {

    private record Key(DataType type, long length) {}

    private record Idle(DataBuffer buffer, long pass) {}

    private final Map<Key, ArrayDeque<Idle>> idle = new HashMap<>();
    private final Set<DataBuffer> pooled = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Buffers handed out in this pass and not released yet, with how many more arrays than one share each. */
    private final Map<DataBuffer, Integer> issued = new IdentityHashMap<>();

    private long pass;

    /** Frees the buffers that no request took during the previous pass; call before each pass. */
    void startPass() {
        pass++;
        issued.clear(); // what the last pass handed out and kept (its outputs) belongs to the caller now
        for (Iterator<ArrayDeque<Idle>> lists = idle.values().iterator(); lists.hasNext(); ) {
            ArrayDeque<Idle> list = lists.next();
            // released most recently last: the stale ones are at the front
            while (!list.isEmpty() && list.peekFirst().pass() < pass - 1) {
                close(list.pollFirst().buffer());
            }
            if (list.isEmpty()) {
                lists.remove();
            }
        }
    }

    @Override
    public INDArray allocate(boolean detached, DataType type, long... shape) {
        return allocate(type, shape, 'c');
    }

    @Override
    public INDArray allocate(boolean detached, LongShapeDescriptor descriptor) {
        if (descriptor.isEmpty()) {
            return Nd4j.create(descriptor);
        }
        return allocate(descriptor.dataType(), descriptor.getShape(), descriptor.getOrder());
    }

    private INDArray allocate(DataType type, long[] shape, char order) {
        long length = 1;
        for (long s : shape) {
            length *= s;
        }
        ArrayDeque<Idle> list = idle.get(new Key(type, length));
        if (type == DataType.UTF8) {
            return Nd4j.createUninitializedDetached(type, order, shape);
        }
        INDArray array;
        if (list == null || list.isEmpty()) {
            array = Nd4j.createUninitializedDetached(type, order, shape);
        } else {
            DataBuffer buffer = list.pollLast().buffer(); // the most recently used: likely still in cache
            pooled.remove(buffer);
            array = Nd4j.create(buffer, shape, Nd4j.getStrides(shape, order), 0, order, type);
        }
        issued.put(array.data(), 0);
        return array;
    }

    /**
     * {@code base} (an array this pool handed out in this pass, in plain c order) with another shape of the same
     * length, sharing its memory: the buffer returns to the pool once both arrays are released. Null when {@code
     * base} is not such an array (a parameter, a placeholder, a view), which must then be copied.
     */
    INDArray reshaped(INDArray base, long[] shape) {
        DataBuffer buffer = base.data();
        Integer sharing = base.isEmpty() ? null : issued.get(buffer);
        if (sharing == null
                || base.ordering() != 'c'
                || !Shape.hasDefaultStridesForShape(base)
                || base.isView()
                || buffer.length() != base.length()) {
            return null;
        }
        issued.put(buffer, sharing + 1);
        return Nd4j.create(buffer, shape, Nd4j.getStrides(shape, 'c'), 0, 'c', base.dataType());
    }

    /**
     * For a session about to execute {@code op} with the arrays of {@code context}: when it is a c-order reshape
     * of an array of this pass, the reshaped array as a view ({@link #reshaped}), and the output the session
     * allocated for it back in the pool unwritten; else null. A {@code tiny} inference runs 567 reshapes, whose
     * copies were an eighth of its time.
     */
    INDArray reshapeView(DifferentialFunction op, OpContext context) {
        if (context == null || !cOrderReshape(op)) {
            return null;
        }
        INDArray view =
                reshaped(context.getInputArray(0), context.getOutputArray(0).shape());
        if (view != null) {
            releaseOutputs(context);
        }
        return view;
    }

    /** {@code input} reshaped to {@code shape} as a view when {@code op} is such a reshape, else null. */
    INDArray reshapeView(DifferentialFunction op, INDArray input, long[] shape) {
        return cOrderReshape(op) ? reshaped(input, shape) : null;
    }

    private static boolean cOrderReshape(DifferentialFunction op) {
        return op instanceof Reshape reshape && reshape.iArgs().length > 0 && reshape.iArgs()[0] == Reshape.C_ORDER;
    }

    /** Takes back, unwritten, the outputs this pool handed out for an op that will not run. */
    void releaseOutputs(OpContext context) {
        for (INDArray out : context.getOutputArrays()) {
            if (out != null && issued.get(out.data()) != null) {
                release(out);
            }
        }
    }

    @Override
    public void release(INDArray array) {
        if (!array.closeable()) {
            return; // a view, or memory someone else owns
        }
        DataBuffer buffer = array.data();
        Integer sharing = issued.get(buffer);
        if (sharing != null && sharing > 0) {
            issued.put(buffer, sharing - 1); // another array still uses the memory
            return;
        }
        issued.remove(buffer);
        if (array.isView() || array.dataType() == DataType.UTF8 || buffer.length() != array.length()) {
            array.close();
            return;
        }
        idle.computeIfAbsent(new Key(array.dataType(), buffer.length()), k -> new ArrayDeque<>())
                .addLast(new Idle(buffer, pass));
        pooled.add(buffer);
    }

    /**
     * Releases {@code array} when this pool handed out its memory in this pass: never a parameter, a placeholder or
     * an array a caller holds from an earlier pass.
     */
    void releaseIfIssued(INDArray array) {
        if (array != null && !array.isEmpty() && issued.containsKey(array.data())) {
            release(array);
        }
    }

    /** Whether {@code buffer} waits in this pool. */
    boolean holds(DataBuffer buffer) {
        return pooled.contains(buffer);
    }

    private void close(DataBuffer buffer) {
        pooled.remove(buffer);
        buffer.close();
    }

    /** Frees every pooled buffer. */
    @Override
    public void close() {
        idle.values().forEach(list -> list.forEach(i -> close(i.buffer())));
        idle.clear();
    }
}
