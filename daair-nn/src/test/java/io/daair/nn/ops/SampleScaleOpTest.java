package io.daair.nn.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every sample times its own factor, and the analytic backward against differences. */
class SampleScaleOpTest {

    static {
        JavaOps.install();
    }

    @Test
    void multipliesEachSampleByItsFactor() {
        Nd4j.getRandom().setSeed(23);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 40, 50, 4).subi(0.5); // more values per sample than one block
        INDArray s = Nd4j.createFromArray(0.5f, -2f, 3f);
        SameDiff sd = SameDiff.create();
        INDArray y = new SampleScaleOp(sd, sd.constant(x), sd.constant(s))
                .outputVariable()
                .eval();
        INDArray want = x.mul(s.reshape(3, 1, 1, 1));
        assertEquals(want, y);
    }

    @Test
    void itsBackwardMatchesFiniteDifferences() {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            Nd4j.getRandom().setSeed(29);
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.var("x", Nd4j.rand(DataType.DOUBLE, 3, 4, 5, 2).subi(0.5));
            SDVariable s = sd.var("s", Nd4j.rand(DataType.DOUBLE, 3).subi(0.5));
            SDVariable y = new SampleScaleOp(sd, x, s).outputVariable();
            SDVariable probe =
                    sd.constant(Nd4j.rand(DataType.DOUBLE, 3, 4, 5, 2).subi(0.5));
            sd.setLossVariables(y.mul(probe).sum("loss"));
            boolean ok = FiniteDifferences.agree(sd);
            assertTrue(ok, "gradient check failed, see the log");
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }
}
