package io.daair.jobs.doctor;

import io.daair.nn.DaairNet;
import io.daair.nn.infer.NetModel;
import io.daair.nn.io.Safetensors.Tensor;
import io.daair.nn.io.WeightsIo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One forward and one backward pass of a {@link GoldenFixture}'s network, compared with its golden
 * values. The tolerances are those of daair-nn's {@code ReferenceFaithfulnessTest} (float32 rounding,
 * a different order of summation): output max |java - pytorch| 1e-4, router probabilities 1e-5, each
 * loss term 1e-5, and each parameter's gradient |java - pytorch|_2 at most 1e-3 |pytorch|_2 + 1e-7.
 */
public final class GoldenCheck {

    static final double OUTPUT_TOLERANCE = 1e-4;
    static final double PROBABILITY_TOLERANCE = 1e-5;
    static final double LOSS_TOLERANCE = 1e-5;
    static final double GRADIENT_RELATIVE_TOLERANCE = 1e-3;
    static final double GRADIENT_ABSOLUTE_TOLERANCE = 1e-7;

    /** One measured difference and the most it may be. */
    public record Comparison(String what, double difference, double tolerance) {
        public boolean ok() {
            return difference <= tolerance; // false for NaN
        }
    }

    /** The forward comparisons (output, probabilities, loss terms) and one per parameter gradient. */
    public record Result(List<Comparison> forward, List<Comparison> gradients) {
        public List<Comparison> failures() {
            List<Comparison> bad = new ArrayList<>();
            forward.stream().filter(c -> !c.ok()).forEach(bad::add);
            gradients.stream().filter(c -> !c.ok()).forEach(bad::add);
            return bad;
        }

        /** The largest gradient difference relative to its tolerance. */
        public Comparison worstGradient() {
            return gradients.stream()
                    .max((a, b) -> Double.compare(a.difference / a.tolerance, b.difference / b.tolerance))
                    .orElseThrow();
        }
    }

    private GoldenCheck() {}

    public static Result run(GoldenFixture fixture) {
        DaairNet net = WeightsIo.load(fixture.weights(), Optional.empty());
        INDArray input = array(fixture.input().tensor("input"));
        List<Comparison> forward = new ArrayList<>();

        NetModel.Batch got = new NetModel(net).run(input);
        forward.add(new Comparison(
                "output max |java - pytorch|",
                maxAbsDiff(got.output(), array(fixture.expected().tensor("output"))),
                OUTPUT_TOLERANCE));
        forward.add(new Comparison(
                "router probabilities max |java - pytorch|",
                maxAbsDiff(got.probabilities(), array(fixture.expected().tensor("probabilities"))),
                PROBABILITY_TOLERANCE));

        Map<String, INDArray> feeds = Map.of(
                DaairNet.INPUT, input,
                DaairNet.CLEAN, array(fixture.loss().tensor("clean")),
                DaairNet.LABELS, array(fixture.loss().tensor("labels")));
        Map<String, INDArray> losses = net.sameDiff().output(feeds, DaairNet.LOSS, DaairNet.L1_LOSS, DaairNet.AUX_LOSS);
        for (String key : List.of(DaairNet.LOSS, DaairNet.L1_LOSS, DaairNet.AUX_LOSS)) {
            double want = fixture.loss().tensor(key).data()[0];
            forward.add(new Comparison(
                    key + " |java - pytorch|", Math.abs(losses.get(key).getDouble(0) - want), LOSS_TOLERANCE));
        }
        return new Result(forward, gradients(net, feeds, fixture));
    }

    private static List<Comparison> gradients(DaairNet net, Map<String, INDArray> feeds, GoldenFixture fixture) {
        Map<String, INDArray> got = net.sameDiff().calculateGradients(feeds, net.parameterNames());
        // PyTorch's gradients (state_dict keys) in SameDiff's layouts: imported like weights into a second network
        DaairNet want = WeightsIo.load(fixture.gradients(), Optional.empty());
        List<Comparison> out = new ArrayList<>();
        for (String name : net.parameterNames()) {
            INDArray expected = want.sameDiff().getVariable(name).getArr().castTo(DataType.DOUBLE);
            double error = got.get(name)
                    .castTo(DataType.DOUBLE)
                    .sub(expected)
                    .norm2Number()
                    .doubleValue();
            double scale = expected.norm2Number().doubleValue();
            out.add(new Comparison(
                    "d loss / d " + name + " |java - pytorch|_2",
                    error,
                    GRADIENT_RELATIVE_TOLERANCE * scale + GRADIENT_ABSOLUTE_TOLERANCE));
        }
        return out;
    }

    private static INDArray array(Tensor t) {
        return Nd4j.create(t.data(), t.shape(), 'c');
    }

    private static double maxAbsDiff(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE)
                .sub(b.castTo(DataType.DOUBLE))
                .reshape(-1)
                .amaxNumber()
                .doubleValue();
    }
}
