package io.daair.nn.infer;

import io.daair.nn.DaairNet;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A {@link DaairNet} as an {@link ImageModel}: one inference pass computing the restored image and
 * the routers' mean probabilities together. Not thread-safe (SameDiff is not).
 */
public final class NetModel implements ImageModel {

    /**
     * The outputs of one batch.
     *
     * @param output restored images (B, 3, H, W)
     * @param probabilities (B, E) softmax of every DaLe router, averaged over routers; null without experts
     */
    public record Batch(INDArray output, INDArray probabilities) {}

    private final DaairNet net;

    public NetModel(DaairNet net) {
        this.net = net;
    }

    public DaairNet net() {
        return net;
    }

    /** Runs a batch (B, 3, H, W), H and W multiples of 8, in the network's data type. */
    public Batch run(INDArray nchw) {
        DataType type = net.sameDiff().getVariable(DaairNet.INPUT).dataType();
        Map<String, INDArray> input = Map.of(DaairNet.INPUT, nchw.castTo(type));
        if (!net.hasRouters()) {
            return new Batch(net.sameDiff().output(input, DaairNet.OUTPUT).get(DaairNet.OUTPUT), null);
        }
        Map<String, INDArray> out = net.sameDiff().output(input, DaairNet.OUTPUT, DaairNet.ROUTER_PROBABILITIES);
        return new Batch(out.get(DaairNet.OUTPUT), out.get(DaairNet.ROUTER_PROBABILITIES));
    }

    /**
     * One image; its input and output arrays are closed (freed off-heap at once rather than at the next
     * garbage collection), which keeps tiled inference's native memory flat from tile to tile.
     */
    @Override
    public Output forward(float[] chw, int height, int width) {
        INDArray input = Nd4j.create(chw, new long[] {1, 3, height, width}, 'c');
        Batch b = run(input);
        try {
            return new Output(floats(b.output()), b.probabilities() == null ? new float[0] : floats(b.probabilities()));
        } finally {
            close(input, b.output(), b.probabilities());
        }
    }

    private static float[] floats(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    private static void close(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a != null && a.closeable()) {
                a.close();
            }
        }
    }
}
