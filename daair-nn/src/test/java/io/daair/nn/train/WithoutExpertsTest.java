package io.daair.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.nn.config.NetConfig;
import io.daair.nn.config.OptimConfig;
import org.junit.jupiter.api.Test;

/** The ablation without DaLe ({@code use-experts = false}) trains: its step reports the L1 loss, no router figures. */
class WithoutExpertsTest {

    @Test
    void aStepWithoutRoutersReportsItsL1Loss() {
        NetConfig tiny = NetConfig.preset("tiny", 3);
        NetConfig noExperts = new NetConfig(
                tiny.dim(),
                tiny.encBlocks(),
                tiny.decBlocks(),
                tiny.refineBlocks(),
                tiny.heads(),
                tiny.ffnFactor(),
                tiny.rankRatio(),
                tiny.kernel(),
                tiny.degradations(),
                false,
                false,
                tiny.auxLossWeight(),
                tiny.emaSigma());
        try (LocalTrainer trainer = new LocalTrainer(noExperts, new OptimConfig(1e-3, 0.9, 0.999, 1e-8, 0, 100), 3)) {
            Minibatch mb = TinyData.minibatch(3, 8, 3, 5);
            float[] before = trainer.forward(mb.degraded(), mb.batch(), mb.height(), mb.width());
            double l1 = 0;
            for (int i = 0; i < before.length; i++) {
                l1 += Math.abs(before[i] - mb.clean()[i]) / before.length;
            }
            StepResult r = trainer.step(mb);
            assertEquals(l1, r.loss(), 1e-5, "the L1 loss of the weights the step started from");
            assertEquals(0.0, r.auxLoss());
            assertTrue(Double.isNaN(r.routerAccuracy()), "no routers, no accuracy");
        }
    }
}
