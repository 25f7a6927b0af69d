package io.daair.nn.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.daair.nn.DaairNet;
import io.daair.nn.config.NetConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** One inference session used for several images and sets of outputs (its subgraphs are kept per set). */
class ReleasingInferenceTest {

    @Test
    void aSessionReusedForOtherImagesAndOutputsGivesWhatFreshGraphsGive() {
        Nd4j.getRandom().setSeed(3);
        INDArray a = Nd4j.rand(DataType.FLOAT, 2, 3, 16, 16);
        INDArray b = Nd4j.rand(DataType.FLOAT, 1, 3, 24, 16);
        SameDiff reused = graph();
        INDArray outA = only(reused, a, DaairNet.OUTPUT);
        INDArray probsB = only(reused, b, DaairNet.ROUTER_PROBABILITIES);
        Map<String, INDArray> bothB =
                reused.output(Map.of(DaairNet.INPUT, b), DaairNet.OUTPUT, DaairNet.ROUTER_PROBABILITIES);
        INDArray outAgainA = only(reused, a, DaairNet.OUTPUT);

        assertEquals(only(graph(), a, DaairNet.OUTPUT), outA);
        assertEquals(outA, outAgainA);
        assertEquals(only(graph(), b, DaairNet.ROUTER_PROBABILITIES), probsB);
        assertEquals(probsB, bothB.get(DaairNet.ROUTER_PROBABILITIES));
        assertEquals(only(graph(), b, DaairNet.OUTPUT), bothB.get(DaairNet.OUTPUT));
    }

    @Test
    void replayedPassesFollowEachBatchsRoutingAndSize() {
        Nd4j.getRandom().setSeed(5);
        SameDiff reused = sharplyRouted(graph());
        // in pairs of one shape: the second of a pair has the inputs' shapes of the first, not its routing
        INDArray pair = Nd4j.rand(DataType.FLOAT, 2, 3, 16, 16);
        INDArray[] images = {
            pair,
            Nd4j.concat(0, pair.get(NDArrayIndex.interval(1, 2)), pair.get(NDArrayIndex.interval(0, 1))), // swapped
            Nd4j.rand(DataType.FLOAT, 3, 3, 16, 16).mul(2),
            Nd4j.rand(DataType.FLOAT, 1, 3, 24, 16),
            Nd4j.rand(DataType.FLOAT, 2, 3, 16, 24),
            Nd4j.rand(DataType.FLOAT, 2, 3, 16, 24).rsub(1).mul(3)
        };
        List<List<Long>> routings = new ArrayList<>();
        for (INDArray image : images) {
            // the reused session's first pass is its own and recorded, the others replay it; a fresh graph's are not
            SameDiff fresh = sharplyRouted(graph());
            assertEquals(only(fresh, image, DaairNet.OUTPUT), only(reused, image, DaairNet.OUTPUT));
            INDArray chosen = only(fresh, image, DaairNet.ROUTER_PROBABILITIES).argMax(1);
            routings.add(Arrays.stream(chosen.toLongVector()).boxed().toList());
        }
        assertNotEquals(routings.get(0), routings.get(1), "the pairs should route differently: " + routings);
        assertNotEquals(routings.get(4), routings.get(5), "the pairs should route differently: " + routings);
    }

    @Test
    void weightsChangedInPlaceBetweenPassesAreUsed() {
        Nd4j.getRandom().setSeed(4);
        INDArray image = Nd4j.rand(DataType.FLOAT, 1, 3, 16, 16);
        SameDiff reused = graph();
        INDArray before = only(reused, image, DaairNet.OUTPUT);
        only(reused, image, DaairNet.OUTPUT); // the ops on weights alone are kept from here on
        SameDiff fresh = graph();
        for (SameDiff sd : new SameDiff[] {reused, fresh}) {
            // a 1x1 convolution's weight (reshaped and sliced per pass) and a LayerNorm weight, as a step would
            sd.getArrForVarName("enc.0.0.ffn.project_in.weight").muli(1.5);
            sd.getArrForVarName("enc.0.0.norm1.weight").addi(0.25);
        }
        INDArray after = only(reused, image, DaairNet.OUTPUT);

        assertEquals(only(fresh, image, DaairNet.OUTPUT), after);
        assertNotEquals(before, after);
    }

    /** Routers 100 times as sure as at initialisation, so that images of other content choose other experts. */
    private static SameDiff sharplyRouted(SameDiff sd) {
        sd.variables().stream().filter(v -> v.name().endsWith(".router.weight")).forEach(v -> v.getArr()
                .muli(100));
        return sd;
    }

    private static SameDiff graph() {
        return DaairNet.build(NetConfig.preset("tiny", 5), 7).sameDiff();
    }

    private static INDArray only(SameDiff sd, INDArray image, String output) {
        return sd.output(Map.of(DaairNet.INPUT, image), output).get(output);
    }
}
