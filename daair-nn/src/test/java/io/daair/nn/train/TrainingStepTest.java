package io.daair.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.nn.DaairNet;
import io.daair.nn.config.NetConfig;
import io.daair.nn.exec.TrainingStep;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/** Steps through {@link TrainingStep} against SameDiff's own {@code fit}, on the tiny preset. */
class TrainingStepTest {

    @Test
    void stepsEqualSameDiffsFitBitForBitAndReleaseEveryGradientOnceApplied() {
        SameDiff byFit = graph();
        SameDiff byStep = graph();
        List<MultiDataSet> batches = batches();
        // an expert without samples gets a zero gradient only with this listener, in either path
        byFit.addListeners(new EmptyBatchGradients());
        byStep.addListeners(new EmptyBatchGradients());
        byFit.fit(batches.get(0)); // creates the updater state, as LocalTrainer does before its first step
        byStep.fit(batches.get(0));
        TrainingStep step = new TrainingStep(byStep);
        Set<String> gradientNames = new HashSet<>();
        for (SDVariable v : byStep.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                gradientNames.add(v.getGradient().name());
            }
        }
        List<INDArray> gradients = new ArrayList<>();
        Listener collect = new BaseListener() {
            @Override
            public boolean isActive(Operation operation) {
                return operation == Operation.TRAINING;
            }

            @Override
            public void opExecution(
                    SameDiff sd,
                    At at,
                    org.nd4j.linalg.dataset.api.MultiDataSet batch,
                    SameDiffOp op,
                    OpContext context,
                    INDArray[] outputs) {
                List<String> names = op.getOutputsOfOp();
                for (int i = 0; i < names.size(); i++) {
                    if (gradientNames.contains(names.get(i)) && outputs[i].closeable()) {
                        gradients.add(outputs[i]); // an array of its own, not a view
                    }
                }
            }
        };
        for (MultiDataSet b : batches.subList(1, batches.size())) {
            byFit.fit(b);
            Map<String, INDArray> placeholders = Map.of(
                    DaairNet.INPUT, b.getFeatures(0), DaairNet.CLEAN, b.getLabels(0), DaairNet.LABELS, b.getLabels(1));
            gradients.clear();
            step.run(placeholders, b, List.of(collect));
            assertFalse(gradients.isEmpty(), "no gradient array of its own was seen");
            assertTrue(gradients.stream().allMatch(step::released), "a gradient outlived its update");
        }

        assertEquals(
                byFit.getTrainingConfig().getIterationCount(),
                byStep.getTrainingConfig().getIterationCount());
        for (SDVariable v : byFit.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                assertEquals(v.getArr(), byStep.getVariable(v.name()).getArr(), v.name());
                assertEquals(
                        byFit.getUpdaterMap().get(v.name()).getState().get("V"),
                        byStep.getUpdaterMap().get(v.name()).getState().get("V"),
                        v.name() + ", Adam's V");
            }
        }
        step.close();
    }

    private static SameDiff graph() {
        SameDiff sd = DaairNet.build(NetConfig.preset("tiny", 5), 11).sameDiff();
        sd.setTrainingConfig(new TrainingConfig.Builder()
                .updater(new Adam(1e-3))
                .dataSetFeatureMapping(DaairNet.INPUT)
                .dataSetLabelMapping(DaairNet.CLEAN, DaairNet.LABELS)
                .build());
        return sd;
    }

    /** Four batches of 4 random 16x16 images, each with an expert that gets no sample. */
    private static List<MultiDataSet> batches() {
        Nd4j.getRandom().setSeed(5);
        List<MultiDataSet> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 16, 16);
            INDArray y = Nd4j.rand(DataType.FLOAT, 4, 3, 16, 16);
            INDArray labels = Nd4j.zeros(DataType.FLOAT, 4, 5);
            for (int j = 0; j < 4; j++) {
                labels.putScalar(j, (i + j) % 5, 1);
            }
            out.add(new MultiDataSet(new INDArray[] {x}, new INDArray[] {y, labels}));
        }
        return out;
    }
}
