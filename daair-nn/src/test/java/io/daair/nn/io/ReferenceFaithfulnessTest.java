package io.daair.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.nn.DaairNet;
import io.daair.nn.infer.NetModel;
import io.daair.nn.io.Safetensors.Contents;
import io.daair.nn.io.Safetensors.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The faithfulness test of the whole network (docs/architecture.md: same weights, same output to float32
 * rounding): weights, input and expected output come from the independent PyTorch reference
 * {@code tools/reference/daair_ref.py} ({@code fixtures} command), never from the code under test.
 */
class ReferenceFaithfulnessTest {

    private static final Path DIR = Path.of("src/main/resources/io/daair/nn/reference");

    private static INDArray array(Tensor t) {
        return Nd4j.create(t.data(), t.shape(), 'c');
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-e5", "custom-dim4-e3"})
    void javaNetworkWithPytorchWeightsComputesThePytorchOutput(String stem, @TempDir Path dir) throws IOException {
        long t0 = System.nanoTime();
        DaairNet net = WeightsIo.load(DIR.resolve(stem + ".safetensors"), Optional.empty());
        long t1 = System.nanoTime();
        Contents expected = Safetensors.read(DIR.resolve(stem + "-expected.safetensors"));
        INDArray input = array(
                Safetensors.read(DIR.resolve("input-2x3x32x32.safetensors")).tensor("input"));

        NetModel.Batch got = new NetModel(net).run(input);
        long t2 = System.nanoTime();

        INDArray wantOut = array(expected.tensor("output"));
        double outDiff = Transforms.maxAbsDiff(got.output(), wantOut);
        double residual = Transforms.maxAbsDiff(wantOut, input);
        assertTrue(residual > 0.1, "the fixture's network changes the image noticeably (" + residual + ")");
        assertTrue(outDiff < 1e-4, stem + ": max |java - pytorch| output = " + outDiff);
        double probDiff = Transforms.maxAbsDiff(got.probabilities(), array(expected.tensor("probabilities")));
        assertTrue(probDiff < 1e-5, stem + ": max |java - pytorch| router probabilities = " + probDiff);
        System.out.printf(
                "%s: max |java - pytorch| output %.2e, probabilities %.2e; load %.1f s, forward %.1f s%n",
                stem, outDiff, probDiff, (t1 - t0) / 1e9, (t2 - t1) / 1e9);

        // export -> import round trip: the same file content and bit-identical outputs
        Path file = dir.resolve("roundtrip.safetensors");
        WeightsIo.export(net, file);
        Contents original = Safetensors.read(DIR.resolve(stem + ".safetensors"));
        Contents exported = Safetensors.read(file);
        assertEquals(original.tensors().keySet(), exported.tensors().keySet());
        for (String key : original.tensors().keySet()) {
            assertArrayEquals(original.tensor(key).shape(), exported.tensor(key).shape(), key);
            assertArrayEquals(original.tensor(key).data(), exported.tensor(key).data(), key);
        }
        NetModel.Batch again = new NetModel(WeightsIo.load(file, Optional.empty())).run(input);
        assertEquals(got.output(), again.output(), "bit-identical output after export and import");
        assertEquals(got.probabilities(), again.probabilities());
    }

    /**
     * The training loss (L1 + lambda * mean router cross-entropy) and its gradient for every parameter,
     * against PyTorch's autograd on the same weights ({@code daair_ref.py gradients}: target = the
     * mirrored input, labels haze/low light or rain/haze). Catches a backward that drops a loss weight.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tiny-e5", "custom-dim4-e3"})
    void trainingLossAndEveryGradientEqualPytorch(String stem) throws IOException {
        DaairNet net = WeightsIo.load(DIR.resolve(stem + ".safetensors"), Optional.empty());
        Contents values = Safetensors.read(DIR.resolve(stem + "-loss.safetensors"));
        Map<String, INDArray> feeds = Map.of(
                DaairNet.INPUT,
                array(Safetensors.read(DIR.resolve("input-2x3x32x32.safetensors"))
                        .tensor("input")),
                DaairNet.CLEAN,
                array(values.tensor("clean")),
                DaairNet.LABELS,
                array(values.tensor("labels")));

        Map<String, INDArray> losses = net.sameDiff().output(feeds, DaairNet.LOSS, DaairNet.L1_LOSS, DaairNet.AUX_LOSS);
        for (String key : List.of(DaairNet.LOSS, DaairNet.L1_LOSS, DaairNet.AUX_LOSS)) {
            assertEquals(values.tensor(key).data()[0], losses.get(key).getDouble(0), 1e-5, stem + " " + key);
        }

        Map<String, INDArray> got = net.sameDiff().calculateGradients(feeds, net.parameterNames());
        // PyTorch's gradients in SameDiff's layouts: imported like weights into a second copy of the network
        DaairNet want = WeightsIo.load(DIR.resolve(stem + "-gradients.safetensors"), Optional.empty());
        double worst = 0;
        for (String name : net.parameterNames()) {
            INDArray expected = want.sameDiff().getVariable(name).getArr().castTo(DataType.DOUBLE);
            INDArray actual = got.get(name).castTo(DataType.DOUBLE);
            double error = actual.sub(expected).norm2Number().doubleValue();
            double scale = expected.norm2Number().doubleValue();
            assertTrue(
                    error <= 1e-3 * scale + 1e-7,
                    stem + " d loss / d " + name + ": |java - pytorch| = " + error + ", |pytorch| = " + scale);
            if (scale > 1e-6) {
                worst = Math.max(worst, error / scale);
            }
        }
        System.out.printf(
                "%s: %d gradients, worst relative error %.2e (of those above 1e-6)%n",
                stem, net.parameterNames().size(), worst);
    }

    /** Small array helpers. */
    private static final class Transforms {
        static double maxAbsDiff(INDArray a, INDArray b) {
            return a.castTo(DataType.DOUBLE)
                    .sub(b.castTo(DataType.DOUBLE))
                    .reshape(-1)
                    .amaxNumber()
                    .doubleValue();
        }
    }
}
