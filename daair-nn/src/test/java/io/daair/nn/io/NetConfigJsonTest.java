package io.daair.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.nn.config.NetConfig;
import org.junit.jupiter.api.Test;

class NetConfigJsonTest {

    @Test
    void everyPresetRoundTrips() {
        for (String preset : NetConfig.PRESETS) {
            for (int e : new int[] {3, 5}) {
                NetConfig c = NetConfig.preset(preset, e);
                assertEquals(c, NetConfigJson.fromJson(NetConfigJson.toJson(c), "test"), preset + " E=" + e);
            }
        }
    }

    @Test
    void readsTheArchitectureAloneWithDefaultSwitches() {
        String json = "{\"dim\":8,\"encBlocks\":[1,1,1,1],\"decBlocks\":[3,2,1],\"refineBlocks\":1,"
                + "\"heads\":[1,2,4,8],\"ffnFactor\":2.66,\"rankRatio\":4,\"kernel\":7,\"degradations\":5}";
        NetConfig c = NetConfigJson.fromJson(json, "hand");
        assertEquals(8, c.dim());
        assertArrayEquals(new int[] {3, 2, 1}, c.decBlocks());
        assertEquals(3, c.decBlocksAt(2), "decBlocks lists the level nearest the latent (dec.2) first");
        assertTrue(c.useExperts() && c.useController());
        assertEquals(0.1, c.auxLossWeight());
        assertEquals(0.999, c.emaSigma());
    }

    @Test
    void errorsNameTheSourceAndTheKey() {
        String valid = NetConfigJson.toJson(NetConfig.preset("tiny", 3));
        IllegalArgumentException unknown = assertThrows(
                IllegalArgumentException.class,
                () -> NetConfigJson.fromJson(
                        valid.replace("\"kernel\"", "\"kernal\""), "daair.config in w.safetensors"));
        assertTrue(
                unknown.getMessage().startsWith("daair.config in w.safetensors: unknown key 'kernal'"),
                unknown.getMessage());
        IllegalArgumentException type = assertThrows(
                IllegalArgumentException.class,
                () -> NetConfigJson.fromJson(valid.replace("\"dim\":8", "\"dim\":\"8\""), "src"));
        assertTrue(type.getMessage().contains("'dim' must be an integer"), type.getMessage());
        IllegalArgumentException invalid = assertThrows(
                IllegalArgumentException.class,
                () -> NetConfigJson.fromJson(valid.replace("\"kernel\":7", "\"kernel\":4"), "src"));
        assertTrue(invalid.getMessage().startsWith("src: kernel must be odd"), invalid.getMessage());
        IllegalArgumentException notJson =
                assertThrows(IllegalArgumentException.class, () -> NetConfigJson.fromJson("{dim:", "src"));
        assertTrue(notJson.getMessage().startsWith("src is not valid JSON"), notJson.getMessage());
    }
}
