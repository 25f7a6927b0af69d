package io.daair.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.daair.nn.config.NetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parameter counts and GMACs against the table of docs/architecture.md (numbers typed from it). */
class NetStatsTest {

    @ParameterizedTest
    @CsvSource({
        "paper, 3, 5639892, 5687028, 20.53",
        "paper, 5, 5977720, 6024856, 20.53",
        "small, 3, 1306563, 1317447, 3.99",
        "small, 5, 1395627, 1406511, 3.99",
        "tiny, 3, 224058, 225332, 0.80",
        "tiny, 5, 234672, 235946, 0.80"
    })
    void presetsMatchTheSpecTable(String preset, int e, long trainable, long withControllers, double gmacs) {
        NetStats s = NetStats.of(NetConfig.preset(preset, e));
        assertEquals(trainable, s.trainableParams());
        assertEquals(withControllers, s.withControllers());
        assertEquals(gmacs, Math.round(s.gmacs224() * 100) / 100.0, 1e-9);
    }

    @ParameterizedTest
    @CsvSource({"tiny, 3", "tiny, 5", "small, 5"})
    void builtGraphHasTheCountedParameters(String preset, int e) {
        NetConfig c = NetConfig.preset(preset, e);
        assertGraphMatches(c);
    }

    @Test
    void ablationsChangeTheCountsAndTheGraphAgrees() {
        NetConfig full = NetConfig.preset("tiny", 5);
        NetConfig noController = ablate(full, true, false);
        NetConfig noExperts = ablate(full, false, false);
        NetStats f = NetStats.of(full);
        NetStats nc = NetStats.of(noController);
        NetStats ne = NetStats.of(noExperts);
        assertEquals(0, nc.controllerParams());
        assertEquals(0, ne.controllerParams());
        // self-attention (qkv 3C^2) replaces cross-attention (qv 2C^2 + k rC): more trainable parameters
        org.junit.jupiter.api.Assertions.assertTrue(nc.trainableParams() > f.trainableParams());
        org.junit.jupiter.api.Assertions.assertTrue(ne.trainableParams() < f.trainableParams());
        assertGraphMatches(noController);
        assertGraphMatches(noExperts);
        System.out.printf(
                "tiny E=5 full %d (+%d ctrl, %.3f GMACs); no controller %d (%.3f); no experts %d (%.3f)%n",
                f.trainableParams(),
                f.controllerParams(),
                f.gmacs224(),
                nc.trainableParams(),
                nc.gmacs224(),
                ne.trainableParams(),
                ne.gmacs224());
    }

    static NetConfig ablate(NetConfig c, boolean experts, boolean controller) {
        return new NetConfig(
                c.dim(),
                c.encBlocks(),
                c.decBlocks(),
                c.refineBlocks(),
                c.heads(),
                c.ffnFactor(),
                c.rankRatio(),
                c.kernel(),
                c.degradations(),
                experts,
                controller,
                c.auxLossWeight(),
                c.emaSigma());
    }

    private static void assertGraphMatches(NetConfig c) {
        DaairNet net = DaairNet.build(c, 1);
        NetStats s = NetStats.of(c);
        assertEquals(s.trainableParams(), size(net, net.parameterNames()));
        assertEquals(s.controllerParams(), size(net, net.controllerNames()));
    }

    private static long size(DaairNet net, java.util.List<String> names) {
        return names.stream()
                .mapToLong(n -> net.sameDiff().getVariable(n).getArr().length())
                .sum();
    }
}
