package io.daair.nn.exec;

import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.memory.AbstractMemoryMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The inference sessions of {@code sd.output}: every intermediate array is freed at its last use (the session's
 * dependency tracker says when). SameDiff's default keeps released arrays in an {@code ArrayCacheMemoryMgr} keyed
 * by exact shape, which a session kept from image to image fills after the first pass; from then on every
 * release evicts, comparing array contents, and a 256x256 {@code small} inference took 2.1 s instead of 0.6 s
 * (docs/performance.md). Freed memory is reused by the allocator (bin/daair preloads jemalloc, which keeps it).
 * Which ops a pass runs is worked out once per set of requested outputs ({@link Subgraphs}).
 */
public final class ReleasingInference extends InferenceSession {

    private final Subgraphs subgraphs = new Subgraphs();

    private ReleasingInference(SameDiff sd) {
        super(sd);
        setMmgr(new ReleaseAtLastUse());
    }

    @Override
    protected void initSubgraph(Set<String> required) {
        subgraphs.fill(required, subgraph, subgraphOps, zeroInputOpsInSubgraph, super::initSubgraph);
    }

    /** Makes every later {@code SameDiff.output} session in this JVM one of these (idempotent). */
    public static synchronized void install() {
        SameDiff.bindInferenceFactory(ReleasingInference::new);
    }

    @Override
    protected Map<String, INDArray> preprocessPlaceholders(Map<String, INDArray> placeholders, At at) {
        freedArrays.clear(); // never cleared in M2.1: a heap leak over a long-lived session's passes
        return super.preprocessPlaceholders(placeholders, at);
    }

    /** Fresh arrays, each closed when the session releases it. */
    private static final class ReleaseAtLastUse extends AbstractMemoryMgr {

        @Override
        public INDArray allocate(boolean detached, DataType type, long... shape) {
            return Nd4j.createUninitializedDetached(type, shape);
        }

        @Override
        public INDArray allocate(boolean detached, LongShapeDescriptor descriptor) {
            return descriptor.isEmpty()
                    ? Nd4j.create(descriptor)
                    : Nd4j.createUninitializedDetached(descriptor.dataType(), descriptor.getShape());
        }

        @Override
        public void release(INDArray array) {
            if (array.closeable()) {
                array.close();
            }
        }

        @Override
        public void close() {}
    }
}
