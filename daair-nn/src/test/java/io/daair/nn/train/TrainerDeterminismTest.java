package io.daair.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.daair.nn.config.NetConfig;
import io.daair.nn.config.OptimConfig;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A seeded trainer is bit-identical from run to run: one after the other, and with two replicas training at
 * once (as the tasks of Spark local mode do). Both failed while idle specialists took steps on
 * uninitialised gradients (see EmptyBatchGradients).
 */
class TrainerDeterminismTest {
    private static final OptimConfig OPTIM = new OptimConfig(1e-3, 0.9, 0.999, 1e-8, 0, 100);
    private static final int STEPS = 3;

    static TrainState train(long seed) {
        try (LocalTrainer t = new LocalTrainer(NetConfig.preset("tiny", 5), OPTIM, seed)) {
            for (int s = 0; s < STEPS; s++) {
                t.step(TinyData.minibatch(4, 16, 5, 100 + s));
            }
            return t.state();
        }
    }

    @Test
    void twoRunsOneAfterTheOtherAreBitIdentical() throws Exception {
        TrainState a = train(3);
        TrainState b = train(3);
        assertArrayEquals(a.params(), b.params());
        assertArrayEquals(a.adamM(), b.adamM());
        assertArrayEquals(a.adamV(), b.adamV());
        assertArrayEquals(a.controllers(), b.controllers());
    }

    @Test
    void twoReplicasTrainingAtOnceAreBitIdentical() throws Exception {
        CompletableFuture<TrainState> a = CompletableFuture.supplyAsync(() -> train(3));
        CompletableFuture<TrainState> b = CompletableFuture.supplyAsync(() -> train(3));
        TrainState sequential = train(3);
        assertArrayEquals(sequential.params(), a.get().params());
        assertArrayEquals(sequential.params(), b.get().params());
        assertArrayEquals(sequential.controllers(), a.get().controllers());
    }
}
