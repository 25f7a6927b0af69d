package io.daair.nn.ops;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The arithmetic of {@link LayerNormOp} on pixel rows (N, C) in plain Java, one pass per row: blocks of rows are
 * copied into a double array, each row's mean and variance summed in doubles, and the results copied back. ND4J's
 * composition (mean and norm2 along the last axis, column and row broadcasts) made six passes with a reduction per
 * row of C values: 11 ms against 3 ms for a tiny level-0 tensor (65536 x 8), 3.6 against 0.5 ms for 4096 x 32.
 */
final class LayerNormRows {

    /** Rows per block: a few thousand values, which stay in the first-level cache. */
    private static final int BLOCK_VALUES = 4096;

    private LayerNormRows() {}

    /** {@code y = (x - mean) / sqrt(var + eps) * w + b} row by row; x and y (N, C), w and b (C). */
    static void forward(INDArray x, INDArray w, INDArray b, INDArray y, double eps) {
        int c = (int) x.size(x.rank() - 1);
        long n = x.length() / c;
        double[] wv = w.castTo(DataType.DOUBLE).toDoubleVector();
        double[] bv = b.castTo(DataType.DOUBLE).toDoubleVector();
        Values in = Values.of(x);
        Values out = Values.of(y);
        if (in.floats() != null && out.floats() != null) {
            forwardFloats(in.floats(), wv, bv, out.floats(), Math.toIntExact(n), c, eps);
            out.finish();
            return;
        }
        int block = Math.max(1, BLOCK_VALUES / c);
        double[] v = new double[block * c];
        for (long r0 = 0; r0 < n; r0 += block) {
            int rows = (int) Math.min(block, n - r0);
            in.read(r0 * c, v, rows * c);
            for (int r = 0; r < rows; r++) {
                int o = r * c;
                double rstd = centre(v, o, c, eps);
                for (int i = 0; i < c; i++) {
                    v[o + i] = v[o + i] * rstd * wv[i] + bv[i];
                }
            }
            out.write(r0 * c, v, rows * c);
        }
        out.finish();
    }

    /** The forward pass on floats: each row's sums in doubles, its values read and written as floats. */
    private static void forwardFloats(FloatBuffer x, double[] w, double[] b, FloatBuffer y, int n, int c, double eps) {
        int block = Math.max(1, BLOCK_VALUES / c);
        float[] v = new float[block * c];
        for (int r0 = 0; r0 < n; r0 += block) {
            int rows = Math.min(block, n - r0);
            x.get(r0 * c, v, 0, rows * c);
            for (int o = 0; o < rows * c; o += c) {
                double sum = 0;
                for (int i = 0; i < c; i++) {
                    sum += v[o + i];
                }
                double mean = sum / c;
                double squares = 0;
                for (int i = 0; i < c; i++) {
                    double d = v[o + i] - mean;
                    squares += d * d;
                }
                double rstd = 1.0 / Math.sqrt(squares / c + eps);
                for (int i = 0; i < c; i++) {
                    v[o + i] = (float) ((v[o + i] - mean) * rstd * w[i] + b[i]);
                }
            }
            y.put(r0 * c, v, 0, rows * c);
        }
    }

    /**
     * From x, w and dL/dy: with {@code xh = (x - mean) * rstd} and {@code gw = dy * w}, {@code dx = rstd * (gw -
     * mean_c(gw) - xh * mean_c(gw * xh))}, {@code dw = sum_N(dy * xh)}, {@code db = sum_N(dy)}.
     */
    static void backward(INDArray x, INDArray w, INDArray dy, INDArray dx, INDArray dw, INDArray db, double eps) {
        int c = (int) x.size(x.rank() - 1);
        long n = x.length() / c;
        double[] wv = w.castTo(DataType.DOUBLE).toDoubleVector();
        double[] dwSum = new double[c];
        double[] dbSum = new double[c];
        Values xIn = Values.of(x);
        Values dyIn = Values.of(dy);
        Values out = Values.of(dx);
        int block = Math.max(1, BLOCK_VALUES / c);
        double[] xh = new double[block * c];
        double[] g = new double[block * c];
        for (long r0 = 0; r0 < n; r0 += block) {
            int rows = (int) Math.min(block, n - r0);
            xIn.read(r0 * c, xh, rows * c);
            dyIn.read(r0 * c, g, rows * c);
            for (int r = 0; r < rows; r++) {
                int o = r * c;
                double rstd = centre(xh, o, c, eps);
                double sumGw = 0;
                double sumGwXh = 0;
                for (int i = 0; i < c; i++) {
                    double d = g[o + i];
                    xh[o + i] *= rstd;
                    dwSum[i] += d * xh[o + i];
                    dbSum[i] += d;
                    double gw = d * wv[i];
                    g[o + i] = gw;
                    sumGw += gw;
                    sumGwXh += gw * xh[o + i];
                }
                double meanGw = sumGw / c;
                double meanGwXh = sumGwXh / c;
                for (int i = 0; i < c; i++) {
                    g[o + i] = rstd * (g[o + i] - meanGw - xh[o + i] * meanGwXh);
                }
            }
            out.write(r0 * c, g, rows * c);
        }
        out.finish();
        dw.assign(Nd4j.createFromArray(dwSum).reshape(dw.shape()));
        db.assign(Nd4j.createFromArray(dbSum).reshape(db.shape()));
    }

    /** Subtracts the mean of {@code v[o, o + c)} in place and returns {@code 1 / sqrt(biased var + eps)}. */
    private static double centre(double[] v, int o, int c, double eps) {
        double sum = 0;
        for (int i = 0; i < c; i++) {
            sum += v[o + i];
        }
        double mean = sum / c;
        double squares = 0;
        for (int i = 0; i < c; i++) {
            double d = v[o + i] - mean;
            v[o + i] = d;
            squares += d * d;
        }
        return 1.0 / Math.sqrt(squares / c + eps);
    }
}
