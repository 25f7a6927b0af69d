package io.daair.data.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import io.daair.data.degrade.Degradation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AllInOneMixTest {

    private static List<Sample> base() {
        List<Sample> s = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            for (double sigma : new double[] {15, 25, 50}) {
                s.add(Sample.synthetic("bsd", "n" + i, Degradation.NOISE, "/c" + i, sigma));
            }
            s.add(Sample.pair("rain100l", "r" + i, Degradation.RAIN, "/c", "/r" + i));
            s.add(Sample.pair("ots", "h" + i, Degradation.HAZE, "/c", "/h" + i));
        }
        s.add(Sample.pair("gopro", "b", Degradation.BLUR, "/c", "/b"));
        s.add(Sample.pair("lol", "l", Degradation.LOW_LIGHT, "/c", "/l"));
        return s;
    }

    @Test
    void fiveDegradationProtocolRepeatsEachTypeByItsFactor() {
        List<Sample> mixed = AllInOneMix.expand(base(), MixSpec.paper(5), 1);
        // noise 2 images x 3 sigmas x3, rain 2 x120, haze 2 x1, blur 1 x5, low light 1 x20
        assertEquals(
                Map.of(
                        Degradation.NOISE, 18L,
                        Degradation.RAIN, 240L,
                        Degradation.HAZE, 2L,
                        Degradation.BLUR, 5L,
                        Degradation.LOW_LIGHT, 20L),
                AllInOneMix.counts(mixed));
        assertEquals(mixed.size(), mixed.stream().map(Sample::key).distinct().count(), "every copy has its own key");
        assertEquals(mixed, AllInOneMix.expand(base(), MixSpec.paper(5), 1));
        assertNotEquals(mixed, AllInOneMix.expand(base(), MixSpec.paper(5), 2));
    }

    @Test
    void threeDegradationMixRejectsBlurAndLowLightSources() {
        DatasetException e =
                assertThrows(DatasetException.class, () -> AllInOneMix.expand(base(), MixSpec.paper(3), 1));
        assertEquals(List.of("gopro (blur)", "lol (lowlight)"), e.offenders());
    }

    @Test
    void singleTaskAndConfigOverrides() {
        List<Sample> rain =
                base().stream().filter(s -> s.degradation() == Degradation.RAIN).toList();
        assertEquals(
                2, AllInOneMix.expand(rain, MixSpec.single(Degradation.RAIN), 0).size());
        MixSpec m = MixSpec.fromConfig(ConfigFactory.parseString("degradations = 3, repeat.rain = 7"));
        assertEquals(Map.of(Degradation.NOISE, 3, Degradation.RAIN, 7, Degradation.HAZE, 1), m.repeats());
        assertEquals(MixSpec.paper(5), MixSpec.fromConfig(ConfigFactory.parseString("degradations = \"5\"")));
        assertEquals(
                Map.of(Degradation.HAZE, 1),
                MixSpec.fromConfig(ConfigFactory.parseString("degradations = haze"))
                        .repeats());
        var reference = ConfigFactory.load().getConfig("daair.data.mix");
        assertEquals(MixSpec.paper(3), MixSpec.fromConfig(reference));
        assertEquals(
                7,
                MixSpec.fromConfig(ConfigFactory.parseString("repeat.rain = 7").withFallback(reference))
                        .repeat(Degradation.RAIN));
        assertThrows(
                com.typesafe.config.ConfigException.BadValue.class,
                () -> MixSpec.fromConfig(ConfigFactory.parseString("degradations = 4")));
    }
}
