package io.daair.nn.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The fused LayerNorm against the definition computed by hand, and its analytic backward against differences. */
class LayerNormOpTest {

    static {
        JavaOps.install();
    }

    @Test
    void normalisesEachPixelOverItsChannelsThenScalesAndShifts() {
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 4, 5).muli(3).subi(1); // (B, H, W, C)
        INDArray w = Nd4j.rand(DataType.FLOAT, 5).addi(0.5);
        INDArray b = Nd4j.rand(DataType.FLOAT, 5).subi(0.5);
        SameDiff sd = SameDiff.create();
        SDVariable y = new LayerNormOp(sd, sd.constant(x), sd.constant(w), sd.constant(b)).outputVariable();
        INDArray got = y.eval();

        float[] xs = x.dup('c').data().asFloat();
        float[] ys = got.dup('c').data().asFloat();
        for (int p = 0; p < xs.length / 5; p++) {
            double mean = 0;
            for (int c = 0; c < 5; c++) {
                mean += xs[p * 5 + c] / 5.0;
            }
            double var = 0;
            for (int c = 0; c < 5; c++) {
                var += (xs[p * 5 + c] - mean) * (xs[p * 5 + c] - mean) / 5.0;
            }
            for (int c = 0; c < 5; c++) {
                double want = (xs[p * 5 + c] - mean) / Math.sqrt(var + 1e-5) * w.getDouble(c) + b.getDouble(c);
                assertEquals(want, ys[p * 5 + c], 1e-5, "pixel " + p + " channel " + c);
            }
        }
    }

    @Test
    void readsAndWritesArraysThatAreViewsOfOtherMemory() {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 4, 5).permute(1, 0, 2); // (4, 6, 5), not c-order
        INDArray w = Nd4j.rand(DataType.FLOAT, 5).addi(0.5);
        INDArray b = Nd4j.rand(DataType.FLOAT, 5);
        INDArray want = Nd4j.create(DataType.FLOAT, 4, 6, 5);
        LayerNormRows.forward(x.dup('c'), w, b, want, LayerNormOp.EPS);
        INDArray outer = Nd4j.zeros(DataType.FLOAT, 2, 4, 6, 5);
        INDArray into = outer.get(NDArrayIndex.point(1)); // a view at an offset
        LayerNormRows.forward(x, w, b, into, LayerNormOp.EPS);
        assertEquals(want, into);
        assertEquals(0.0, outer.get(NDArrayIndex.point(0)).sumNumber().doubleValue());
    }

    @Test
    void itsBackwardMatchesFiniteDifferences() {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            Nd4j.getRandom().setSeed(11);
            SameDiff sd = SameDiff.create();
            SDVariable x =
                    sd.var("x", Nd4j.rand(DataType.DOUBLE, 3, 4, 4, 6).muli(2).subi(1));
            SDVariable w = sd.var("w", Nd4j.rand(DataType.DOUBLE, 6).addi(0.5));
            SDVariable b = sd.var("b", Nd4j.rand(DataType.DOUBLE, 6));
            SDVariable y = new LayerNormOp(sd, x, w, b).outputVariable();
            SDVariable probe =
                    sd.constant(Nd4j.rand(DataType.DOUBLE, 3, 4, 4, 6).subi(0.5));
            sd.setLossVariables(y.mul(probe).sum("loss"));
            boolean ok = FiniteDifferences.agree(sd);
            assertTrue(ok, "gradient check failed, see the log");
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }

    // 12 channels: blocks turned channel-major; 40: row by row
    @ParameterizedTest
    @ValueSource(ints = {12, 40})
    void floatsAreComputedAsTheDoublesAreToFloatPrecision(int c) {
        Nd4j.getRandom().setSeed(19);
        // more rows than one block of the float path, and a partial last block
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1300, c).muli(6).subi(2);
        INDArray w = Nd4j.rand(DataType.DOUBLE, c).addi(0.5);
        INDArray b = Nd4j.rand(DataType.DOUBLE, c).subi(0.5);
        INDArray dy = Nd4j.rand(DataType.DOUBLE, 1300, c).subi(0.5);
        INDArray[] doubles = {
            Nd4j.create(DataType.DOUBLE, 1300, c),
            Nd4j.create(DataType.DOUBLE, 1300, c),
            Nd4j.create(DataType.DOUBLE, c),
            Nd4j.create(DataType.DOUBLE, c)
        };
        INDArray[] floats = {
            Nd4j.create(DataType.FLOAT, 1300, c),
            Nd4j.create(DataType.FLOAT, 1300, c),
            Nd4j.create(DataType.FLOAT, c),
            Nd4j.create(DataType.FLOAT, c)
        };
        LayerNormRows.forward(x, w, b, doubles[0], LayerNormOp.EPS);
        LayerNormRows.backward(x, w, dy, doubles[1], doubles[2], doubles[3], LayerNormOp.EPS);
        INDArray xf = x.castTo(DataType.FLOAT);
        INDArray wf = w.castTo(DataType.FLOAT);
        LayerNormRows.forward(xf, wf, b.castTo(DataType.FLOAT), floats[0], LayerNormOp.EPS);
        LayerNormRows.backward(xf, wf, dy.castTo(DataType.FLOAT), floats[1], floats[2], floats[3], LayerNormOp.EPS);
        double[] tolerances = {2e-6, 1e-5, 1e-4, 1e-4}; // y, dx, then dw and db summed over 1300 rows
        for (int i = 0; i < 4; i++) {
            double worst = doubles[i]
                    .sub(floats[i].castTo(DataType.DOUBLE))
                    .amaxNumber()
                    .doubleValue();
            assertTrue(worst < tolerances[i], "output " + i + ": " + worst);
        }
    }
}
