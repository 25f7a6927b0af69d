package io.daair.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.nn.DaairNet;
import io.daair.nn.config.NetConfig;
import io.daair.nn.config.OptimConfig;
import io.daair.nn.ops.LayerNormOp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/** State, checkpoint and EMA behaviour of the trainer on the tiny preset (one shared trainer, two steps). */
class LocalTrainerTest {

    private static final OptimConfig OPTIM = new OptimConfig(1e-3, 0.9, 0.999, 1e-8, 0, 100);
    private static final Minibatch MB = TinyData.minibatch(3, 8, 3, 5);
    private static LocalTrainer trainer;

    @BeforeAll
    static void train() {
        trainer = new LocalTrainer(NetConfig.preset("tiny", 3), OPTIM, 3);
        trainer.step(MB);
    }

    @AfterAll
    static void close() {
        trainer.close();
    }

    @Test
    void aStepGivesBackItsActivationsAtTheirLastUseNotAtTheNextCollection() {
        // ND4J's default would keep them in the step's own array cache, which no later step sees
        List<INDArray> activations = new ArrayList<>();
        SameDiff sd = trainer.net().sameDiff();
        BaseListener keep = new BaseListener() {
            @Override
            public boolean isActive(Operation operation) {
                return operation == Operation.TRAINING;
            }

            @Override
            public void opExecution(
                    SameDiff s, At at, MultiDataSet batch, SameDiffOp op, OpContext ctx, INDArray[] outputs) {
                if (op.getOp() instanceof LayerNormOp && outputs[0].closeable()) {
                    activations.add(outputs[0]);
                }
            }
        };
        sd.addListeners(keep);
        try {
            trainer.step(MB);
        } finally {
            sd.getListeners().remove(keep);
        }
        assertFalse(activations.isEmpty(), "no LayerNorm ran in the step");
        assertTrue(
                activations.stream().allMatch(trainer::released),
                "LayerNorm outputs neither closed nor given back to the step's pool");
    }

    @Test
    void emaOfHandNumbers() {
        var controller = Nd4j.createFromArray(1f, 2f);
        ControllerEma.update(controller, List.of(Nd4j.createFromArray(3f, 5f), Nd4j.createFromArray(5f, 7f)), 0.9);
        // mean of the sources [4, 6]; 0.9 * [1, 2] + 0.1 * [4, 6] = [1.3, 2.4]
        assertArrayEquals(new float[] {1.3f, 2.4f}, controller.toFloatVector(), 1e-6f);
    }

    @Test
    void stepAppliesTheEmaToControllers() {
        DaairNet net = trainer.net();
        TrainState before = trainer.state();
        trainer.step(MB);
        TrainState after = trainer.state();
        double sigma = net.config().emaSigma();
        // tiny has one encoder block per level: the controller follows that block's agnostic expert
        String ctrl = "dec.1.0.controller.v.weight";
        String source = "enc.1.0.dale.agnostic.v.weight";
        float[] c0 = slice(net.controllerNames(), before.controllers(), ctrl);
        float[] c1 = slice(net.controllerNames(), after.controllers(), ctrl);
        float[] a1 = slice(net.parameterNames(), after.params(), source);
        for (int i = 0; i < c0.length; i++) {
            assertEquals(sigma * c0[i] + (1 - sigma) * a1[i], c1[i], 1e-6);
        }
        assertEquals(before.iteration() + 1, after.iteration());
    }

    @Test
    void stateRoundTripIsBitExact() {
        TrainState s = trainer.state();
        try (LocalTrainer other = new LocalTrainer(NetConfig.preset("tiny", 3), OPTIM, 99)) {
            assertFalse(Arrays.equals(s.params(), other.state().params()));
            other.setState(s);
            TrainState t = other.state();
            assertArrayEquals(s.params(), t.params());
            assertArrayEquals(s.adamM(), t.adamM());
            assertArrayEquals(s.adamV(), t.adamV());
            assertArrayEquals(s.controllers(), t.controllers());
            assertEquals(s.iteration(), t.iteration());
            assertArrayEquals(trainer.forward(MB.degraded(), 3, 8, 8), other.forward(MB.degraded(), 3, 8, 8));
        }
    }

    @Test
    void setStateRejectsAnotherNetworksArrays() {
        TrainState s = trainer.state();
        TrainState shorter =
                new TrainState(Arrays.copyOf(s.params(), 10), s.adamM(), s.adamV(), s.controllers(), s.iteration());
        assertThrows(IllegalArgumentException.class, () -> trainer.setState(shorter));
    }

    @Test
    void checkpointRoundTripGivesBitIdenticalOutputsAndState() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        trainer.writeCheckpoint(bytes);
        try (LocalTrainer back = LocalTrainer.readCheckpoint(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(trainer.netConfig(), back.netConfig());
            assertEquals(trainer.optimConfig(), back.optimConfig());
            TrainState s = trainer.state();
            TrainState t = back.state();
            assertArrayEquals(s.params(), t.params());
            assertArrayEquals(s.adamM(), t.adamM());
            assertArrayEquals(s.adamV(), t.adamV());
            assertArrayEquals(s.controllers(), t.controllers());
            assertEquals(s.iteration(), t.iteration());
            assertArrayEquals(trainer.forward(MB.degraded(), 3, 8, 8), back.forward(MB.degraded(), 3, 8, 8));
            float[][] p = back.routerProbabilities(MB.degraded(), 3, 8, 8);
            assertEquals(3, p.length);
            assertEquals(1.0, p[0][0] + p[0][1] + p[0][2], 1e-5);
        }
    }

    private static float[] slice(List<String> names, float[] flat, String name) {
        DaairNet net = trainer.net();
        int pos = 0;
        for (String n : names) {
            int len = (int) net.sameDiff().getVariable(n).getArr().length();
            if (n.equals(name)) {
                return Arrays.copyOfRange(flat, pos, pos + len);
            }
            pos += len;
        }
        throw new AssertionError(name + " not found");
    }
}
