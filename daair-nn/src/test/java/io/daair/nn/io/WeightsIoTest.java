package io.daair.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.nn.DaairNet;
import io.daair.nn.NetStats;
import io.daair.nn.config.NetConfig;
import io.daair.nn.io.Safetensors.Contents;
import io.daair.nn.io.Safetensors.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Layout conversion and validation of {@link WeightsIo} on a hand-made graph of each parameter kind. */
class WeightsIoTest {

    private static final NetConfig TINY = NetConfig.preset("tiny", 3);
    private static final List<String> NAMES = List.of(
            "b.attn.qkv.weight",
            "b.attn.qkv_dw.weight",
            "b.dale.router.weight",
            "b.attn.temperature",
            "b.controller.a.weight");

    /** conv [kH=3, kW=2, in=2, out=4], depthwise [3, 3, C=5, 1], Linear (3, 4), temperature (2, 1, 1), a constant. */
    private static SameDiff graph() {
        SameDiff sd = SameDiff.create();
        sd.var(NAMES.get(0), Nd4j.linspace(1, 48, 48, DataType.FLOAT).reshape(3, 2, 2, 4));
        sd.var(NAMES.get(1), Nd4j.linspace(1, 45, 45, DataType.FLOAT).reshape(3, 3, 5, 1));
        sd.var(NAMES.get(2), Nd4j.linspace(1, 12, 12, DataType.FLOAT).reshape(3, 4));
        sd.var(NAMES.get(3), Nd4j.createFromArray(0.5f, 2f).reshape(2, 1, 1));
        sd.constant(NAMES.get(4), Nd4j.linspace(1, 4, 4, DataType.FLOAT).reshape(1, 1, 2, 2));
        return sd;
    }

    @Test
    void writesPytorchLayouts() {
        SameDiff sd = graph();
        Map<String, Tensor> t = WeightsIo.toTensors(sd, NAMES);
        assertArrayEquals(new long[] {4, 2, 3, 2}, t.get("b.attn.qkv.weight").shape(), "(out, in, kH, kW)");
        assertArrayEquals(new long[] {5, 1, 3, 3}, t.get("b.attn.qkv_dw.weight").shape(), "(C, 1, k, k)");
        assertArrayEquals(new long[] {3, 4}, t.get("b.dale.router.weight").shape());
        assertArrayEquals(new long[] {2, 1, 1}, t.get("b.attn.temperature").shape());
        assertArrayEquals(
                new long[] {2, 2, 1, 1}, t.get("b.controller.a.weight").shape());
        INDArray yxio = sd.getVariable("b.attn.qkv.weight").getArr();
        float[] oihw = t.get("b.attn.qkv.weight").data();
        INDArray dw = sd.getVariable("b.attn.qkv_dw.weight").getArr();
        float[] c1kk = t.get("b.attn.qkv_dw.weight").data();
        for (int o = 0; o < 4; o++) {
            for (int i = 0; i < 2; i++) {
                for (int y = 0; y < 3; y++) {
                    for (int x = 0; x < 2; x++) {
                        assertEquals(yxio.getFloat(y, x, i, o), oihw[((o * 2 + i) * 3 + y) * 2 + x]);
                    }
                }
            }
        }
        for (int c = 0; c < 5; c++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 3; x++) {
                    assertEquals(dw.getFloat(y, x, c, 0), c1kk[(c * 3 + y) * 3 + x]);
                }
            }
        }
    }

    @Test
    void exportThenImportRestoresEveryValueBitForBit(@TempDir Path dir) throws IOException {
        SameDiff source = graph();
        Path file = dir.resolve("w.safetensors");
        WeightsIo.export(source, NAMES, TINY, file);
        Contents contents = Safetensors.read(file);
        assertEquals(TINY, WeightsIo.config(contents).orElseThrow());

        SameDiff target = graph();
        for (String name : NAMES) {
            target.getVariable(name).getArr().assign(0);
        }
        INDArray before = target.getVariable("b.attn.qkv.weight").getArr();
        WeightsIo.importInto(target, NAMES, TINY, contents);
        for (String name : NAMES) {
            assertEquals(
                    source.getVariable(name).getArr(), target.getVariable(name).getArr(), name);
        }
        assertTrue(before == target.getVariable("b.attn.qkv.weight").getArr(), "imported in place");
    }

    @Test
    void rejectsMissingAndExtraKeysNamingThem() {
        Map<String, Tensor> t = new LinkedHashMap<>(WeightsIo.toTensors(graph(), NAMES));
        t.remove("b.attn.temperature");
        t.put("b.attn.bogus", new Tensor(new long[] {1}, new float[] {0}));
        Contents c = new Contents("w.safetensors", Map.of(), t);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> WeightsIo.importInto(graph(), NAMES, TINY, c));
        assertTrue(
                e.getMessage()
                        .contains("w.safetensors does not match the network: 1 missing key(s): "
                                + "b.attn.temperature; 1 unexpected key(s): b.attn.bogus"),
                e.getMessage());
    }

    @Test
    void rejectsAShapeMismatchNamingKeyExpectedAndFound() {
        Map<String, Tensor> t = new LinkedHashMap<>(WeightsIo.toTensors(graph(), NAMES));
        t.put("b.dale.router.weight", new Tensor(new long[] {4, 3}, new float[12]));
        Contents c = new Contents("w.safetensors", Map.of(), t);
        SameDiff target = graph();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> WeightsIo.importInto(target, NAMES, TINY, c));
        assertTrue(
                e.getMessage().contains("w.safetensors: 'b.dale.router.weight' has shape [4, 3], expected [3, 4]"),
                e.getMessage());
        assertEquals(
                Nd4j.linspace(1, 48, 48, DataType.FLOAT).reshape(3, 2, 2, 4),
                target.getVariable("b.attn.qkv.weight").getArr(),
                "nothing changed on error");
    }

    @Test
    void rejectsWeightsOfAnotherArchitectureButNotOtherTrainingSettings() {
        Map<String, Tensor> t = WeightsIo.toTensors(graph(), NAMES);
        NetConfig otherHeads = new NetConfig(
                8,
                new int[] {1, 1, 1, 1},
                new int[] {1, 1, 1},
                1,
                new int[] {1, 1, 1, 1},
                2.66,
                4,
                7,
                3,
                true,
                true,
                0.1,
                0.999);
        Contents c = new Contents("w.safetensors", Map.of(WeightsIo.CONFIG_KEY, NetConfigJson.toJson(otherHeads)), t);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> WeightsIo.importInto(graph(), NAMES, TINY, c));
        assertTrue(e.getMessage().startsWith("w.safetensors holds weights for NetConfig[dim=8"), e.getMessage());

        NetConfig otherLambda = new NetConfig(
                8,
                new int[] {1, 1, 1, 1},
                new int[] {1, 1, 1},
                1,
                new int[] {1, 2, 4, 8},
                2.66,
                4,
                7,
                3,
                true,
                true,
                0.0,
                0.99);
        Contents ok = new Contents("w.safetensors", Map.of(WeightsIo.CONFIG_KEY, NetConfigJson.toJson(otherLambda)), t);
        WeightsIo.importInto(graph(), NAMES, TINY, ok);
    }

    @Test
    void loadsAFileWithoutMetadataOnlyWithAFallbackConfig() throws IOException {
        DaairNet source = DaairNet.build(TINY, 3L);
        Contents plain = new Contents(
                "plain.safetensors", Map.of(), WeightsIo.toTensors(source.sameDiff(), WeightsIo.names(source)));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> WeightsIo.load(plain, Optional.empty()));
        assertTrue(
                e.getMessage().startsWith("plain.safetensors has no daair.config in its __metadata__"), e.getMessage());
        DaairNet loaded = WeightsIo.load(plain, Optional.of(TINY));
        assertEquals(TINY, loaded.config());
        for (String name : WeightsIo.names(source)) {
            assertEquals(
                    source.sameDiff().getVariable(name).getArr(),
                    loaded.sameDiff().getVariable(name).getArr(),
                    name);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        WeightsIo.export(source, bytes);
        Contents streamed = Safetensors.read(new ByteArrayInputStream(bytes.toByteArray()), "bytes");
        assertEquals(TINY, WeightsIo.config(streamed).orElseThrow());
        assertEquals(plain.tensors().keySet(), streamed.tensors().keySet());
    }

    @Test
    void theSpecsParameterCountIsTheBuiltNetworksWeightCount() {
        NetConfig noController = withSwitches(TINY, true, false);
        NetConfig noExperts = withSwitches(TINY, false, false);
        for (NetConfig c : List.of(TINY, NetConfig.preset("tiny", 5), noController, noExperts)) {
            DaairNet net = DaairNet.build(c, 1L);
            long weights = WeightsIo.toTensors(net.sameDiff(), WeightsIo.names(net)).values().stream()
                    .mapToLong(t -> t.data().length)
                    .sum();
            assertEquals(NetStats.of(c).withControllers(), weights, c.toString());
        }
    }

    @Test
    void aConfigurationClaimingAHugeNetworkFailsBeforeBuildingIt() {
        // the tiny network's weights under a configuration of dim 48000 (building it would take about 10 GB)
        NetConfig huge = new NetConfig(
                48000, TINY.encBlocks(), TINY.decBlocks(), 1, TINY.heads(), 2.66, 4, 7, 3, true, true, 0.1, 0.999);
        DaairNet tiny = DaairNet.build(TINY, 3L);
        Contents claim = new Contents(
                "claim.safetensors",
                Map.of(WeightsIo.CONFIG_KEY, NetConfigJson.toJson(huge)),
                WeightsIo.toTensors(tiny.sameDiff(), WeightsIo.names(tiny)));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> WeightsIo.load(claim, Optional.empty()));
        assertTrue(
                e.getMessage()
                                .startsWith("claim.safetensors holds "
                                        + NetStats.of(TINY).withControllers() + " weights")
                        && e.getMessage().contains("dim=48000"),
                e.getMessage());
    }

    @Test
    void nonFiniteWeightsAreRefusedNamingFileAndTensor() {
        DaairNet source = DaairNet.build(TINY, 3L);
        Map<String, Tensor> tensors =
                new LinkedHashMap<>(WeightsIo.toTensors(source.sameDiff(), WeightsIo.names(source)));
        String victim = tensors.keySet().iterator().next();
        float[] data = tensors.get(victim).data().clone();
        data[0] = Float.NaN;
        data[data.length - 1] = Float.POSITIVE_INFINITY;
        tensors.put(victim, new Tensor(tensors.get(victim).shape(), data));
        Contents nan =
                new Contents("nan.safetensors", Map.of(WeightsIo.CONFIG_KEY, NetConfigJson.toJson(TINY)), tensors);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> WeightsIo.load(nan, Optional.empty()));
        assertTrue(
                e.getMessage().startsWith("nan.safetensors: weight '" + victim + "' has 2 of " + data.length),
                e.getMessage());
    }

    private static NetConfig withSwitches(NetConfig c, boolean experts, boolean controller) {
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
}
