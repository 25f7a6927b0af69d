package io.daair.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.nn.DaairNet;
import io.daair.nn.blocks.Router;
import io.daair.nn.config.NetConfig;
import io.daair.nn.config.OptimConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A specialist that no sample of the minibatch was routed to has a zero gradient: its weights and Adam
 * moments stay as they were (M2.1's matmul backward over zero rows leaves its output uninitialised).
 */
class ExpertWithoutSamplesTest {

    @Test
    void aSpecialistWithoutSamplesKeepsItsWeightsAndAdamState() {
        Minibatch mb = TinyData.minibatch(4, 16, 5, 100);
        try (LocalTrainer trainer = new LocalTrainer(NetConfig.preset("tiny", 5), OptimConfig.defaults(10), 3)) {
            List<String> idle = idleSpecialistParameters(trainer, mb);
            assertTrue(idle.size() > 5, "the batch leaves some specialists without samples: " + idle);
            Map<String, float[]> before = values(trainer, idle);
            trainer.step(mb);
            Map<String, float[]> after = values(trainer, idle);
            Map<String, INDArray> adam = new java.util.HashMap<>();
            trainer.net()
                    .sameDiff()
                    .getUpdaterMap()
                    .forEach((n, u) -> adam.put(n, (INDArray) u.getState().get("M")));
            for (String name : idle) {
                assertArrayEquals(before.get(name), after.get(name), name);
                float[] m = adam.get(name).dup().data().asFloat();
                assertArrayEquals(new float[m.length], m, "Adam M of " + name);
            }
        }
    }

    /** The parameters of every specialist that the routers send none of the samples to (top-1 of the logits). */
    static List<String> idleSpecialistParameters(LocalTrainer trainer, Minibatch mb) {
        var sd = trainer.net().sameDiff();
        String[] logits = sd.variables().stream()
                .map(v -> v.name())
                .filter(n -> n.endsWith(Router.LOGITS))
                .toArray(String[]::new);
        INDArray x = Nd4j.create(mb.degraded(), new long[] {mb.batch(), 3, mb.height(), mb.width()}, 'c');
        Map<String, INDArray> out = sd.output(Map.of(DaairNet.INPUT, x), logits);
        List<String> idle = new ArrayList<>();
        for (String name : logits) {
            String dale = name.substring(0, name.length() - (".router" + Router.LOGITS).length());
            int[] chosen = out.get(name).argMax(1).toIntVector();
            for (int e = 0; e < trainer.netConfig().degradations(); e++) {
                final int expert = e;
                if (Arrays.stream(chosen).noneMatch(k -> k == expert)) {
                    String prefix = dale + ".specialists." + e + ".";
                    trainer.net().parameterNames().stream()
                            .filter(p -> p.startsWith(prefix))
                            .forEach(idle::add);
                }
            }
        }
        return idle;
    }

    static Map<String, float[]> values(LocalTrainer trainer, List<String> names) {
        Map<String, float[]> values = new java.util.HashMap<>();
        for (String n : names) {
            values.put(
                    n,
                    trainer.net()
                            .sameDiff()
                            .getVariable(n)
                            .getArr()
                            .dup()
                            .data()
                            .asFloat());
        }
        return values;
    }
}
