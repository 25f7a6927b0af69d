package io.daair.nn.exec;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.internal.memory.AbstractMemoryMgr;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
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
    private long pass;

    /** Frees the buffers that no request took during the previous pass; call before each pass. */
    void startPass() {
        pass++;
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
        if (list == null || list.isEmpty() || type == DataType.UTF8) {
            return Nd4j.createUninitializedDetached(type, order, shape);
        }
        DataBuffer buffer = list.pollLast().buffer(); // the most recently used: likely still in cache
        pooled.remove(buffer);
        return Nd4j.create(buffer, shape, Nd4j.getStrides(shape, order), 0, order, type);
    }

    @Override
    public void release(INDArray array) {
        if (!array.closeable()) {
            return; // a view, or memory someone else owns
        }
        DataBuffer buffer = array.data();
        if (array.isView() || array.dataType() == DataType.UTF8 || buffer.length() != array.length()) {
            array.close();
            return;
        }
        idle.computeIfAbsent(new Key(array.dataType(), buffer.length()), k -> new ArrayDeque<>())
                .addLast(new Idle(buffer, pass));
        pooled.add(buffer);
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
