package io.daair.nn.ops;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The weight gradient of {@link DepthwiseOp}: {@code dW[i, j, c] = sum over b, h, w of x[b, h + i - p, w + j - p, c]
 * * dy[b, h, w, c]} (p = k / 2, zero outside x), in plain Java, one thread: a few ms on the tiny preset's tensors,
 * a small part of libnd4j's {@code depthwise_conv2d_bp} (docs/performance.md, "Depthwise convolution").
 *
 * <p>JDK 17's JIT vectorises a loop only over arrays indexed by the loop variable alone (an invariant offset in an
 * index made it 5x slower), so each operand is a whole row of (w, c) values in its own array: an image's rows of
 * dy, and row hs of x shifted by j - p pixels for each j (zero where the shift leaves the image). Row hs of x meets
 * row h = hs + p - i of dy at kernel row i; for each (i, j) a row of sums over (w, c) collects those products over
 * b and h, and the sums over w come last.
 */
final class DepthwiseWeightGradient {

    private DepthwiseWeightGradient() {}

    /** Writes dW into {@code dw} (k, k, C, 1) from x and dy (B, H, W, C); doubles stay doubles, others use floats. */
    static void into(INDArray x, INDArray dy, INDArray dw) {
        int batch = (int) x.size(0);
        int height = (int) x.size(1);
        int channels = (int) x.size(3);
        int row = (int) x.size(2) * channels;
        int k = (int) dw.size(0);
        int p = k / 2;
        Rows rows = x.dataType() == DataType.DOUBLE
                ? new DoubleRows(
                        DepthwiseOp.plain(x, DataType.DOUBLE), DepthwiseOp.plain(dy, DataType.DOUBLE), height, row, k)
                : new FloatRows(
                        DepthwiseOp.plain(x, DataType.FLOAT), DepthwiseOp.plain(dy, DataType.FLOAT), height, row, k);
        for (int n = 0; n < batch; n++) {
            int image = Math.multiplyExact(n, height * row);
            rows.loadDy(image);
            for (int hs = 0; hs < height; hs++) {
                for (int j = 0; j < k; j++) {
                    int shift = (j - p) * channels; // shifted[j][t] = x[hs][t + shift]
                    int from = Math.max(0, -shift);
                    int to = Math.min(row, row - shift);
                    if (to > from) {
                        rows.loadShifted(j, image + hs * row + from + shift, from, to - from);
                    }
                }
                for (int i = 0; i < k; i++) {
                    int h = hs + p - i;
                    if (h >= 0 && h < height) {
                        for (int j = 0; j < k; j++) {
                            rows.multiplyAdd(i * k + j, j, h);
                        }
                    }
                }
            }
        }
        double[] sums = new double[k * k * channels];
        for (int ij = 0; ij < k * k; ij++) {
            for (int t = 0; t < row; t++) {
                sums[ij * channels + t % channels] += rows.sum(ij, t);
            }
        }
        dw.assign(Nd4j.createFromArray(sums).reshape(k, k, channels, 1));
    }

    /** The row arrays in one floating point type. */
    private abstract static class Rows {

        /** Copies the rows of dy's image starting at element {@code image}. */
        abstract void loadDy(int image);

        /** Copies {@code length} elements of x from element {@code at} into shifted[j], from position {@code to}. */
        abstract void loadShifted(int j, int at, int to, int length);

        /** sums[ij] += shifted[j] * dy row h. */
        abstract void multiplyAdd(int ij, int j, int h);

        abstract double sum(int ij, int t);
    }

    private static final class FloatRows extends Rows {
        private final FloatBuffer x;
        private final FloatBuffer dy;
        private final float[][] dyRows;
        private final float[][] shifted;
        private final float[][] sums;

        FloatRows(INDArray x, INDArray dy, int height, int row, int k) {
            this.x = x.data().asNioFloat();
            this.dy = dy.data().asNioFloat();
            dyRows = new float[height][row];
            shifted = new float[k][row];
            sums = new float[k * k][row];
        }

        @Override
        void loadDy(int image) {
            for (int h = 0; h < dyRows.length; h++) {
                dy.get(image + h * dyRows[h].length, dyRows[h]);
            }
        }

        @Override
        void loadShifted(int j, int at, int to, int length) {
            x.get(at, shifted[j], to, length);
        }

        @Override
        void multiplyAdd(int ij, int j, int h) {
            float[] s = sums[ij];
            float[] a = shifted[j];
            float[] d = dyRows[h];
            for (int t = 0; t < s.length; t++) {
                s[t] += a[t] * d[t];
            }
        }

        @Override
        double sum(int ij, int t) {
            return sums[ij][t];
        }
    }

    private static final class DoubleRows extends Rows {
        private final DoubleBuffer x;
        private final DoubleBuffer dy;
        private final double[][] dyRows;
        private final double[][] shifted;
        private final double[][] sums;

        DoubleRows(INDArray x, INDArray dy, int height, int row, int k) {
            this.x = x.data().asNioDouble();
            this.dy = dy.data().asNioDouble();
            dyRows = new double[height][row];
            shifted = new double[k][row];
            sums = new double[k * k][row];
        }

        @Override
        void loadDy(int image) {
            for (int h = 0; h < dyRows.length; h++) {
                dy.get(image + h * dyRows[h].length, dyRows[h]);
            }
        }

        @Override
        void loadShifted(int j, int at, int to, int length) {
            x.get(at, shifted[j], to, length);
        }

        @Override
        void multiplyAdd(int ij, int j, int h) {
            double[] s = sums[ij];
            double[] a = shifted[j];
            double[] d = dyRows[h];
            for (int t = 0; t < s.length; t++) {
                s[t] += a[t] * d[t];
            }
        }

        @Override
        double sum(int ij, int t) {
            return sums[ij][t];
        }
    }
}
