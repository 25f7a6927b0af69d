package io.daair.nn.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.daair.nn.graph.Graph;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Top-1 dispatch/combine: who computes what, batch order, empty experts. Expected values by hand. */
class ExpertRoutingTest {

    // 4 samples, 3 experts: sample 0 -> 2, 1 -> 0, 2 -> 2, 3 -> 0 (expert 1 receives nothing)
    private static final double[][] LOGITS = {{0, 1, 2}, {3, 0, 0}, {0, 0, 1}, {2, 1, 1}};

    /** The specialist e multiplies by (e + 1) * 10, so the output says who computed it. */
    private static Map<String, INDArray> run(INDArray x, double[][] logits) {
        SameDiff sd = SameDiff.create();
        Graph g = new Graph(sd, DataType.DOUBLE, 1);
        SDVariable in = sd.placeHolder("x", DataType.DOUBLE, -1, 2, -1, -1);
        SDVariable l = sd.placeHolder("logits", DataType.DOUBLE, -1, 3);
        ExpertRouting.Route route = ExpertRouting.route(g, l, 3);
        SDVariable[] parts = ExpertRouting.dispatch(g, in, route, 3);
        SDVariable[] outs = new SDVariable[3];
        for (int e = 0; e < 3; e++) {
            parts[e] = parts[e].rename("part" + e);
            outs[e] = parts[e].mul((e + 1) * 10.0);
        }
        ExpertRouting.combine(g, outs, route).rename("out");
        return sd.output(Map.of("x", x, "logits", Nd4j.createFromArray(logits)), "out", "part0", "part1", "part2");
    }

    private static INDArray input() {
        return Nd4j.rand(DataType.DOUBLE, 4, 2, 2, 3);
    }

    private static double gate(double[] logits, int k) {
        double sum = 0;
        for (double v : logits) {
            sum += Math.exp(v);
        }
        return Math.exp(logits[k]) / sum;
    }

    @Test
    void eachSampleIsComputedByItsExpertOnlyAndWeightedByTheGate() {
        INDArray x = input();
        Map<String, INDArray> r = run(x, LOGITS);
        int[] routed = {2, 0, 2, 0};
        // the sub-batches hold exactly the routed samples, in batch order; expert 1 gets none
        assertEquals(2, r.get("part0").size(0));
        assertEquals(0, r.get("part1").size(0));
        assertEquals(2, r.get("part2").size(0));
        assertEquals(x.get(NDArrayIndex.point(1)), r.get("part0").get(NDArrayIndex.point(0)));
        assertEquals(x.get(NDArrayIndex.point(3)), r.get("part0").get(NDArrayIndex.point(1)));
        assertEquals(x.get(NDArrayIndex.point(0)), r.get("part2").get(NDArrayIndex.point(0)));
        for (int b = 0; b < 4; b++) {
            double scale = (routed[b] + 1) * 10.0 * gate(LOGITS[b], routed[b]);
            INDArray expected = x.get(NDArrayIndex.point(b)).mul(scale);
            assertArrayEquals(
                    expected.data().asDouble(),
                    r.get("out").get(NDArrayIndex.point(b)).dup().data().asDouble(),
                    1e-12);
        }
    }

    @Test
    void permutingTheBatchPermutesTheOutput() {
        INDArray x = input();
        int[] perm = {3, 0, 2, 1};
        INDArray xp = Nd4j.create(DataType.DOUBLE, x.shape());
        double[][] lp = new double[4][];
        for (int b = 0; b < 4; b++) {
            xp.get(NDArrayIndex.point(b)).assign(x.get(NDArrayIndex.point(perm[b])));
            lp[b] = LOGITS[perm[b]];
        }
        INDArray out = run(x, LOGITS).get("out");
        INDArray outP = run(xp, lp).get("out");
        for (int b = 0; b < 4; b++) {
            assertEquals(out.get(NDArrayIndex.point(perm[b])), outP.get(NDArrayIndex.point(b)));
        }
    }

    @Test
    void allSamplesOnOneExpertLeaveTheOthersEmpty() {
        double[][] allOnOne = {{0, 5, 0}, {0, 5, 0}, {1, 2, 0}, {0, 9, 0}};
        Map<String, INDArray> r = run(input(), allOnOne);
        assertEquals(0, r.get("part0").size(0));
        assertEquals(4, r.get("part1").size(0));
        assertEquals(0, r.get("part2").size(0));
        assertArrayEquals(new long[] {4, 2, 2, 3}, r.get("out").shape());
    }

    @Test
    void tiesGoToTheLowestIndex() {
        double[][] tie = {{1, 1, 0}, {0, 2, 2}, {0, 0, 0}, {5, 0, 5}};
        Map<String, INDArray> r = run(input(), tie);
        assertEquals(3, r.get("part0").size(0)); // samples 0, 2, 3
        assertEquals(1, r.get("part1").size(0)); // sample 1
    }

    @Test
    void aBatchOfOneGoesToItsExpertAlone() {
        // inference runs B = 1 (M2.1's dynamicPartition mis-shaped it and corrupted memory)
        double[][] one = {{0, 2, 1}};
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, 2, 2, 3);
        Map<String, INDArray> r = run(x, one);
        assertEquals(0, r.get("part0").size(0));
        assertArrayEquals(new long[] {1, 2, 2, 3}, r.get("part1").shape());
        assertEquals(0, r.get("part2").size(0));
        assertArrayEquals(
                x.mul(20.0 * gate(one[0], 1)).data().asDouble(),
                r.get("out").dup().data().asDouble(),
                1e-12);
    }
}
