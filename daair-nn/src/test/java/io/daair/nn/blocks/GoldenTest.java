package io.daair.nn.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.daair.nn.graph.Graph;
import io.daair.nn.graph.Level;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Golden checks whose expected values are derived by hand, not by the code under test. */
class GoldenTest {

    private static double[] run(SDVariable out, Map<String, INDArray> in) {
        return out.getSameDiff()
                .output(in, out.name())
                .get(out.name())
                .dup()
                .data()
                .asDouble();
    }

    /** NCHW (B, 4, H, W) as the network's pixel rows [B*H*W, 4]. */
    private static SDVariable rows(SDVariable nchw) {
        return Level.rows(nchw.getSameDiff().permute(nchw, 0, 2, 3, 1), 4);
    }

    @Test
    void pixelUnshuffleHasPyTorchChannelOrder() {
        SameDiff sd = SameDiff.create();
        Graph g = new Graph(sd, DataType.DOUBLE, 1);
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, 2, -1, -1);
        SDVariable image = sd.permute(x, 0, 2, 3, 1); // the network's NHWC layout
        Level half = Level.of(g, image).half();
        SDVariable y = sd.permute(half.image(PixelShuffle.unshuffle(g, image, 2, half), 8), 0, 3, 1, 2); // NCHW
        // input (1, 2, 2, 4): channel c, row h, column w holds 100c + 10h + w
        INDArray in = Nd4j.create(DataType.DOUBLE, 1, 2, 2, 4);
        for (int c = 0; c < 2; c++)
            for (int h = 0; h < 2; h++)
                for (int w = 0; w < 4; w++) in.putScalar(new int[] {0, c, h, w}, 100 * c + 10 * h + w);
        // output channel c*4 + i*2 + j at (h', w') = input (c, 2h'+i, 2w'+j); output is (1, 8, 1, 2)
        double[] expected = {
            0, 2, // c0 i0 j0
            1, 3, // c0 i0 j1
            10, 12, // c0 i1 j0
            11, 13, // c0 i1 j1
            100, 102, 101, 103, 110, 112, 111, 113
        };
        assertArrayEquals(expected, run(y, Map.of("x", in)), 0);
        assertArrayEquals(
                new long[] {1, 8, 1, 2},
                sd.output(Map.of("x", in), y.name()).get(y.name()).shape());
    }

    @Test
    void pixelShuffleInvertsUnshuffleAndPlacesChannels() {
        SameDiff sd = SameDiff.create();
        Graph g = new Graph(sd, DataType.DOUBLE, 1);
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, 4, -1, -1);
        SDVariable image = sd.permute(x, 0, 2, 3, 1);
        // one output channel: the rows [B*2H*2W, 1] are the NCHW (B, 1, 2H, 2W) memory too
        SDVariable y = PixelShuffle.shuffle(g, image, 1, Level.of(g, image));
        // input (1, 4, 1, 1) with channel k = k: output (1, 1, 2, 2), pixel (i, j) = channel i*2 + j
        INDArray in = Nd4j.createFromArray(0.0, 1, 2, 3).reshape(1, 4, 1, 1);
        assertArrayEquals(new double[] {0, 1, 2, 3}, run(y, Map.of("x", in)), 0);
        SDVariable x3 = sd.placeHolder("x3", DataType.DOUBLE, -1, 3, -1, -1);
        SDVariable image3 = sd.permute(x3, 0, 2, 3, 1);
        Level level = Level.of(g, image3);
        SDVariable rows = PixelShuffle.shuffle(g, PixelShuffle.unshuffle(g, image3, 3, level.half()), 3, level.half());
        SDVariable back = sd.permute(level.image(rows, 3), 0, 3, 1, 2);
        INDArray big = Nd4j.rand(DataType.DOUBLE, 2, 3, 4, 6);
        assertArrayEquals(big.data().asDouble(), run(back, Map.of("x3", big)), 0);
    }

    @Test
    void layerNormOfOneThreeTwoFour() {
        SameDiff sd = SameDiff.create();
        Graph g = new Graph(sd, DataType.DOUBLE, 1);
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, 4); // pixel rows
        SDVariable y = LayerNorm.apply(g, "n", x, 4);
        // channels [1, 3, 2, 4] at one pixel: mean 2.5, biased variance 1.25; (x - 2.5) / sqrt(1.25 + 1e-5)
        double s = Math.sqrt(1.25 + 1e-5);
        double[] expected = {-1.5 / s, 0.5 / s, -0.5 / s, 1.5 / s};
        INDArray in = Nd4j.createFromArray(1.0, 3, 2, 4).reshape(1, 4);
        assertArrayEquals(expected, run(y, Map.of("x", in)), 1e-12);
        // [1, 3, 1, 3] gives [-1, 1, -1, 1] up to the epsilon: mean 2, variance 1
        INDArray in2 = Nd4j.createFromArray(1.0, 3, 1, 3).reshape(1, 4);
        double t = Math.sqrt(1 + 1e-5);
        assertArrayEquals(new double[] {-1 / t, 1 / t, -1 / t, 1 / t}, run(y, Map.of("x", in2)), 1e-12);
    }

    @Test
    void geluIsTheExactErfForm() {
        SameDiff sd = SameDiff.create();
        Graph g = new Graph(sd, DataType.DOUBLE, 1);
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1);
        SDVariable y = Gelu.apply(g, x);
        // hand values of 0.5 x (1 + erf(x / sqrt 2)) (tables of the normal CDF Phi: x * Phi(x))
        double[] xs = {-3, -1, 0, 0.5, 1, 2};
        double[] expected = {-0.0040496, -0.1586553, 0, 0.3457312, 0.8413447, 1.9544997};
        assertArrayEquals(expected, run(y, Map.of("x", Nd4j.createFromArray(xs))), 1e-6);
    }

    @Test
    void channelAttentionOfTwoHandMadeHeads() {
        SameDiff sd = SameDiff.create();
        Graph g = new Graph(sd, DataType.DOUBLE, 1);
        SDVariable q = sd.placeHolder("q", DataType.DOUBLE, -1, 4, -1, -1);
        SDVariable k = sd.placeHolder("k", DataType.DOUBLE, -1, 4, -1, -1);
        SDVariable v = sd.placeHolder("v", DataType.DOUBLE, -1, 4, -1, -1);
        Level level = Level.of(g, sd.permute(q, 0, 2, 3, 1));
        SDVariable rows = ChannelAttention.apply(g, level, "a", rows(q), rows(k), rows(v), 4, 2);
        SDVariable y = sd.permute(level.image(rows, 4), 0, 3, 1, 2); // back to NCHW
        sd.getVariable("a.temperature").setArray(Nd4j.createFromArray(1.0, 2.0).reshape(2, 1, 1));
        // one sample, 4 channels (heads {0, 1} and {2, 3}), 1 x 2 pixels; rows are channels
        INDArray qs = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}, {3, 4}, {1, 1}})
                .reshape(1, 4, 1, 2);
        INDArray ks = Nd4j.createFromArray(new double[][] {{3, 4}, {0, 2}, {1, 0}, {0, 5}})
                .reshape(1, 4, 1, 2);
        INDArray vs = Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}, {5, 6}, {7, 8}})
                .reshape(1, 4, 1, 2);
        // head 0 (t = 1): q^ = [1, 0], [0, 1]; k^ = [0.6, 0.8], [0, 1]
        //   logits [[0.6, 0], [0.8, 1]]
        // head 1 (t = 2): q^ = [0.6, 0.8], [1, 1]/sqrt 2; k^ = [1, 0], [0, 1]
        //   logits 2 * [[0.6, 0.8], [1/sqrt 2, 1/sqrt 2]]: the second row attends equally
        double r = 1 / Math.sqrt(2);
        double[][] logits = {{0.6, 0}, {0.8, 1}, {1.2, 1.6}, {2 * r, 2 * r}};
        double[][] values = {{1, 2}, {3, 4}, {5, 6}, {7, 8}};
        double[] expected = new double[8];
        for (int row = 0; row < 4; row++) {
            int first = row < 2 ? 0 : 2; // first channel of this row's head
            double a0 = Math.exp(logits[row][0]);
            double a1 = Math.exp(logits[row][1]);
            for (int pixel = 0; pixel < 2; pixel++) {
                expected[row * 2 + pixel] = (a0 * values[first][pixel] + a1 * values[first + 1][pixel]) / (a0 + a1);
            }
        }
        assertArrayEquals(new double[] {6, 7}, java.util.Arrays.copyOfRange(expected, 6, 8), 1e-12); // equal weights
        assertArrayEquals(expected, run(y, Map.of("q", qs, "k", ks, "v", vs)), 1e-9);
    }
}
