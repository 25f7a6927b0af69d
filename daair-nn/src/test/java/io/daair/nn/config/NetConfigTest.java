package io.daair.nn.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** HOCON reading, preset precedence and validation messages of the configuration records. */
class NetConfigTest {

    private static Config conf(String hocon) {
        return ConfigFactory.parseString(
                        hocon, com.typesafe.config.ConfigParseOptions.defaults().setOriginDescription("test.conf"))
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
    }

    @Test
    void defaultsAreTinyWithFiveDegradations() {
        assertEquals(NetConfig.preset("tiny", 5), NetConfig.fromConfig(conf("")));
        assertEquals(OptimConfig.defaults(100000), OptimConfig.fromConfig(conf("")));
    }

    @Test
    void explicitKeysOverrideThePreset() {
        NetConfig c = NetConfig.fromConfig(
                conf(
                        "daair.net { preset = small, degradations = 3, kernel = 5, dec-blocks = [1, 1, 1], use-controller = false }"));
        assertEquals(16, c.dim());
        assertEquals(3, c.degradations());
        assertEquals(5, c.kernel());
        assertArrayEquals(new int[] {1, 1, 1}, c.decBlocks());
        assertArrayEquals(new int[] {1, 2, 2, 2}, c.encBlocks());
        assertFalse(c.useController());
        assertTrue(c.useExperts());
    }

    @Test
    void badValuesNameTheKeyAndTheFile() {
        ConfigException.BadValue e = assertThrows(
                ConfigException.BadValue.class, () -> NetConfig.fromConfig(conf("daair.net.heads = [1, 3, 4, 8]")));
        assertTrue(e.getMessage().contains("daair.net.heads"), e.getMessage());
        assertTrue(e.getMessage().contains("test.conf"), e.getMessage());
        assertTrue(e.getMessage().contains("must divide the level's channels 16"), e.getMessage());
        ConfigException.BadValue p = assertThrows(
                ConfigException.BadValue.class, () -> NetConfig.fromConfig(conf("daair.net.preset = huge")));
        assertTrue(p.getMessage().contains("unknown preset 'huge'"), p.getMessage());
        ConfigException.BadValue k =
                assertThrows(ConfigException.BadValue.class, () -> NetConfig.fromConfig(conf("daair.net.kernal = 7")));
        assertTrue(k.getMessage().contains("daair.net.kernal"), k.getMessage());
        ConfigException.BadValue o = assertThrows(
                ConfigException.BadValue.class,
                () -> OptimConfig.fromConfig(conf("daair.optim { warmup-steps = 10, total-steps = 5 }")));
        assertTrue(o.getMessage().contains("daair.optim.warmup-steps"), o.getMessage());
    }

    @Test
    void controllerWithoutExpertsIsRejectedWithTheFix() {
        ConfigException.BadValue e = assertThrows(
                ConfigException.BadValue.class, () -> NetConfig.fromConfig(conf("daair.net.use-experts = false")));
        assertTrue(e.getMessage().contains("daair.net.use-controller"), e.getMessage());
        assertTrue(e.getMessage().contains("set use-controller = false"), e.getMessage());
        NetConfig ablation = NetConfig.fromConfig(conf("daair.net { use-experts = false, use-controller = false }"));
        assertFalse(ablation.useExperts());
    }

    @Test
    void cosineScheduleByHand() {
        OptimConfig o = new OptimConfig(2e-4, 0.9, 0.999, 1e-8, 10, 110);
        assertEquals(2e-5, o.learningRate(0), 1e-15); // warm-up: lr * 1 / 10
        assertEquals(2e-4, o.learningRate(10), 1e-15); // cosine starts at the peak
        assertEquals(1e-4, o.learningRate(60), 1e-15); // half way: lr * 0.5 * (1 + cos(pi/2))
        assertEquals(0.0, o.learningRate(110), 0.0);
    }
}
