package io.daair.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.nn.config.NetConfig;
import io.daair.nn.config.OptimConfig;
import org.junit.jupiter.api.Test;

/** The tiny model must be able to fit one fixed minibatch: loss halves, routers learn the labels. */
class OverfitTest {

    @Test
    void tinyModelOverfitsOneMinibatch() {
        Minibatch mb = TinyData.minibatch(5, 16, 5, 7);
        OptimConfig optim = new OptimConfig(2e-3, 0.9, 0.999, 1e-8, 0, 2000);
        try (LocalTrainer t = new LocalTrainer(NetConfig.preset("tiny", 5), optim, 11)) {
            StepResult first = t.step(mb);
            StepResult last = first;
            long start = System.nanoTime();
            for (int i = 1; i < 300 && !(last.loss() < first.loss() / 2 && last.routerAccuracy() == 1.0); i++) {
                last = t.step(mb);
                if (i % 25 == 0) {
                    System.out.printf(
                            "step %d loss %.4f aux %.4f acc %.3f (%.0f ms/step)%n",
                            i,
                            last.loss(),
                            last.auxLoss(),
                            last.routerAccuracy(),
                            (System.nanoTime() - start) / 1e6 / i);
                }
            }
            System.out.printf("first %s last %s after %d steps%n", first, last, t.iteration());
            assertTrue(last.loss() < first.loss() / 2, "loss " + first.loss() + " -> " + last.loss());
            assertEquals(1.0, last.routerAccuracy(), 0.0);
        }
    }
}
