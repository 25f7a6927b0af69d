package io.daair.nn.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The fused exact GELU against libnd4j's erf, and its analytic backward against differences. */
class GeluOpTest {

    static {
        JavaOps.install();
    }

    /** 0.5 a (1 + erf(a / sqrt 2)) * b with libnd4j's erf, in doubles. */
    private static INDArray definition(INDArray a, INDArray b) {
        INDArray x = a.castTo(DataType.DOUBLE);
        INDArray erf = libnd4jErf(x.mul(Math.sqrt(0.5)));
        return x.mul(0.5).muli(erf.addi(1.0)).muli(b.castTo(DataType.DOUBLE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"FLOAT", "DOUBLE"})
    void gatedGeluMatchesTheDefinitionOverTheWholeRange(String type) {
        DataType t = DataType.valueOf(type);
        Nd4j.getRandom().setSeed(5);
        // (N, C) pixel rows spanning [-8, 8]: the clamped tails and the centre, more values than one block
        INDArray a =
                Nd4j.linspace(-8, 8, 9000, DataType.DOUBLE).reshape(1500, 6).castTo(t);
        INDArray b = Nd4j.rand(DataType.DOUBLE, 1500, 6).subi(0.5).muli(4).castTo(t);
        SameDiff sd = SameDiff.create();
        INDArray gated =
                new GeluOp(sd, sd.constant(a), sd.constant(b)).outputVariable().eval();
        INDArray plain = new GeluOp(sd, sd.constant(a)).outputVariable().eval();

        assertEquals(t, gated.dataType());
        double tolerance = t == DataType.FLOAT ? 2e-6 : 1e-7;
        assertTrue(
                maxDifference(definition(a, b), gated) < 4 * tolerance,
                "gated: " + maxDifference(definition(a, b), gated));
        INDArray ones = Nd4j.ones(DataType.DOUBLE, 1500, 6);
        assertTrue(
                maxDifference(definition(a, ones), plain) < 8 * tolerance,
                "plain: " + maxDifference(definition(a, ones), plain));
    }

    @Test
    void erfIsWithinItsStatedErrorOfLibnd4jsErf() {
        INDArray x = Nd4j.linspace(-6, 6, 120001, DataType.DOUBLE);
        INDArray want = libnd4jErf(x);
        double worstDouble = 0;
        double worstFloat = 0;
        for (int i = 0; i < x.length(); i++) {
            double v = x.getDouble(i);
            worstDouble = Math.max(worstDouble, Math.abs(GeluOp.erf(v) - want.getDouble(i)));
            worstFloat = Math.max(worstFloat, Math.abs(GeluOp.erf((float) v) - want.getDouble(i)));
        }
        assertTrue(worstDouble < 7e-8, "doubles: " + worstDouble);
        assertTrue(worstFloat < 5e-7, "floats: " + worstFloat);
    }

    @Test
    void theExponentialOfTheFloatBackwardIsWithinItsStatedError() {
        double worst = 0;
        for (double u = 0; u <= 40; u += 1e-3) {
            worst = Math.max(worst, Math.abs(GeluOp.expNegative((float) u) - Math.exp(-u)));
        }
        assertTrue(worst < 2e-6, "worst " + worst);
    }

    @Test
    void theFloatBackwardAgreesWithTheDoubleOne() {
        Nd4j.getRandom().setSeed(17);
        INDArray a = Nd4j.linspace(-9, 9, 9000, DataType.DOUBLE).reshape(1500, 6);
        INDArray b = Nd4j.rand(DataType.DOUBLE, 1500, 6).subi(0.5);
        INDArray dy = Nd4j.rand(DataType.DOUBLE, 1500, 6).subi(0.5);
        INDArray[] inDoubles = {Nd4j.create(DataType.DOUBLE, 1500, 6), Nd4j.create(DataType.DOUBLE, 1500, 6)};
        INDArray[] inFloats = {Nd4j.create(DataType.FLOAT, 1500, 6), Nd4j.create(DataType.FLOAT, 1500, 6)};
        new GeluOp.Backward().compute(List.of(a, b, dy), List.of(inDoubles));
        INDArray af = a.castTo(DataType.FLOAT);
        new GeluOp.Backward()
                .compute(List.of(af, b.castTo(DataType.FLOAT), dy.castTo(DataType.FLOAT)), List.of(inFloats));
        for (int i = 0; i < 2; i++) {
            assertTrue(
                    maxDifference(inDoubles[i], inFloats[i]) < 2e-6,
                    "gradient " + i + ": " + maxDifference(inDoubles[i], inFloats[i]));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"FLOAT", "DOUBLE"})
    void theUngatedBackwardIsRightBeyondItsFirstBlock(String type) {
        DataType t = DataType.valueOf(type);
        Nd4j.getRandom().setSeed(31);
        INDArray a = Nd4j.linspace(-6, 6, 9000, DataType.DOUBLE).reshape(1500, 6); // three blocks of values
        INDArray dy = Nd4j.rand(DataType.DOUBLE, 1500, 6).subi(0.5);
        INDArray da = Nd4j.create(t, 1500, 6);
        new GeluOp.Backward().compute(List.of(a.castTo(t), dy.castTo(t)), List.of(da));
        // dL/da = dy (Phi(a) + a phi(a)), Phi from libnd4j's erf
        INDArray cdf = libnd4jErf(a.mul(Math.sqrt(0.5))).addi(1.0).muli(0.5);
        INDArray density = a.mul(Transforms.exp(a.mul(a).muli(-0.5), true)).muli(1.0 / Math.sqrt(2 * Math.PI));
        INDArray want = dy.mul(cdf.addi(density));
        double tolerance = t == DataType.FLOAT ? 2e-6 : 1e-7;
        assertTrue(maxDifference(want, da) < tolerance, "worst " + maxDifference(want, da));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void itsBackwardMatchesFiniteDifferences(boolean gatedForm) {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            Nd4j.getRandom().setSeed(13);
            SameDiff sd = SameDiff.create();
            SDVariable a =
                    sd.var("a", Nd4j.rand(DataType.DOUBLE, 4, 5, 3).muli(6).subi(3));
            SDVariable b = sd.var("b", Nd4j.rand(DataType.DOUBLE, 4, 5, 3).subi(0.5));
            SDVariable y = (gatedForm ? new GeluOp(sd, a, b) : new GeluOp(sd, a)).outputVariable();
            SDVariable probe = sd.constant(Nd4j.rand(DataType.DOUBLE, 4, 5, 3).subi(0.5));
            sd.setLossVariables(y.mul(probe).sum("loss").add(b.sum().mul(0.0)));
            boolean ok = FiniteDifferences.agree(sd);
            assertTrue(ok, "gradient check failed, see the log");
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }

    @Test
    void anExpertWithoutSamplesGetsAnEmptyResult() {
        INDArray empty = Nd4j.create(DataType.FLOAT, 0, 4);
        INDArray out = Nd4j.create(DataType.FLOAT, 0, 4);
        new GeluOp().compute(List.of(empty, empty), List.of(out));
        new GeluOp.Backward().compute(List.of(empty, empty, empty), List.of(out, out));
        assertArrayEquals(new long[] {0, 4}, out.shape());
    }

    @Test
    void readsArraysThatAreNotPlainMemory() {
        Nd4j.getRandom().setSeed(9);
        INDArray a = Nd4j.rand(DataType.FLOAT, 6, 7).subi(0.5).muli(4).transpose(); // (7, 6), f order
        INDArray b = Nd4j.rand(DataType.FLOAT, 7, 6);
        INDArray y = Nd4j.create(DataType.FLOAT, 7, 6);
        new GeluOp().compute(List.of(a, b), List.of(y));
        assertTrue(maxDifference(definition(a, b), y) < 1e-5);
    }

    private static INDArray libnd4jErf(INDArray x) {
        INDArray out = x.ulike();
        Nd4j.exec(new Erf(x, out));
        return out;
    }

    private static double maxDifference(INDArray want, INDArray got) {
        return Transforms.abs(want.sub(got.castTo(DataType.DOUBLE)), false)
                .maxNumber()
                .doubleValue();
    }
}
