package io.daair.data.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.daair.data.degrade.Degradation;
import io.daair.data.image.ImageCodec;
import io.daair.data.image.ImageStore;
import io.daair.data.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetReaderTest {

    @TempDir
    Path dir;

    private final ImageStore store = ImageStore.local();
    private final DatasetReader reader = new DatasetReader(store);

    /** Fixture files are written with java.nio (fast); the readers under test go through Hadoop. */
    private void image(String rel, int w, int h) throws Exception {
        Path file = dir.resolve(rel);
        Files.createDirectories(file.getParent());
        Files.write(file, ImageCodec.encodePng(new RgbImage(w, h, new float[3 * w * h])));
    }

    private String root(String rel) {
        return dir.resolve(rel).toUri().toString();
    }

    private static List<String> ids(List<Sample> samples) {
        return samples.stream().map(Sample::id).toList();
    }

    @Test
    void cleanFolderGivesOneSyntheticSamplePerImageDegradationAndSigma() throws Exception {
        image("BSD400/test001.png", 8, 8);
        image("BSD400/sub/test002.jpg", 8, 8);
        List<Sample> s = reader.read(new DatasetSource(
                "bsd400",
                DatasetLayout.CLEAN,
                root("BSD400"),
                null,
                List.of(Degradation.NOISE, Degradation.HAZE),
                List.of()));
        assertEquals(8, s.size()); // 2 images x (3 sigmas + haze)
        assertEquals(
                List.of("sub/test002.jpg", "test001.png"),
                ids(s).stream().distinct().toList());
        assertTrue(s.stream().allMatch(Sample::isSynthetic));
        assertEquals(
                List.of(15.0, 25.0, 50.0, 0.0),
                s.stream()
                        .filter(x -> x.id().equals("test001.png"))
                        .map(Sample::sigma)
                        .toList());
    }

    @Test
    void rain100LPairsRainWithNorainAcrossFolders() throws Exception {
        image("Rain100L/rainy/rain-1.png", 8, 8);
        image("Rain100L/rainy/rain-12.png", 8, 8);
        image("Rain100L/gt/norain-1.png", 8, 8);
        image("Rain100L/gt/norain-12.png", 8, 8);
        List<Sample> s = reader.read(DatasetSource.pairs("rain100l", DatasetLayout.RAIN100L, root("Rain100L")));
        assertEquals(List.of("rainy/rain-1.png", "rainy/rain-12.png"), ids(s));
        assertTrue(s.get(1).cleanPath().endsWith("gt/norain-12.png"), s.get(1).cleanPath());
        assertEquals(Degradation.RAIN, s.get(0).degradation());
    }

    @Test
    void resideParsesAirlightAndBetaFromTheHazyName() throws Exception {
        image("OTS/hazy/0025_0.8_0.04.jpg", 8, 8);
        image("OTS/hazy/0025_1_0.2.jpg", 8, 8);
        image("OTS/clear/0025.jpg", 8, 8);
        image("SOTS/outdoor/hazy/0001_0.9_0.16.jpg", 8, 8);
        image("SOTS/outdoor/gt/0001.png", 8, 8);
        List<Sample> ots = reader.read(DatasetSource.pairs("ots", DatasetLayout.RESIDE, root("OTS")));
        assertEquals(2, ots.size());
        assertEquals(Map.of("A", 0.8, "beta", 0.04), ots.get(0).fileParams());
        assertTrue(ots.get(0).realParams().toJson().contains("\"source\":\"real\""));
        List<Sample> sots = reader.read(DatasetSource.pairs("sots", DatasetLayout.RESIDE, root("SOTS")));
        assertTrue(sots.get(0).cleanPath().endsWith("outdoor/gt/0001.png"));
    }

    @Test
    void goProAndLolPairBySequenceAndFileName() throws Exception {
        image("GoPro/train/GOPR0372_07_00/blur/000047.png", 8, 8);
        image("GoPro/train/GOPR0372_07_00/sharp/000047.png", 8, 8);
        image("GoPro/train/GOPR0374_11_00/blur/000047.png", 8, 8);
        image("GoPro/train/GOPR0374_11_00/sharp/000047.png", 8, 8);
        List<Sample> g = reader.read(DatasetSource.pairs("gopro", DatasetLayout.GOPRO, root("GoPro")));
        assertEquals(2, g.size());
        assertTrue(g.get(1).cleanPath().endsWith("GOPR0374_11_00/sharp/000047.png"));

        image("LOL/our485/low/2.png", 8, 8);
        image("LOL/our485/high/2.png", 8, 8);
        image("LOL/eval15/low/1.png", 8, 8);
        image("LOL/eval15/high/1.png", 8, 8);
        List<Sample> lol = reader.read(DatasetSource.pairs("lol", DatasetLayout.LOL, root("LOL")));
        assertEquals(List.of("eval15/low/1.png", "our485/low/2.png"), ids(lol));
        assertEquals(Degradation.LOW_LIGHT, lol.get(0).degradation());
    }

    @Test
    void pairedFoldersMatchByNameWithoutExtension() throws Exception {
        image("in/a.jpg", 8, 8);
        image("in/b/c.png", 8, 8);
        image("target/a.png", 8, 8);
        image("target/b/c.png", 8, 8);
        List<Sample> s = reader.read(DatasetSource.paired("mine", root("in"), root("target"), Degradation.BLUR));
        assertEquals(List.of("a.jpg", "b/c.png"), ids(s));
        assertTrue(s.get(0).cleanPath().endsWith("target/a.png"));
    }

    @Test
    void missingPartnersAreListedTogether() throws Exception {
        image("R/rain-1.png", 8, 8);
        image("R/rain-2.png", 8, 8);
        image("R/norain-1.png", 8, 8);
        image("R/norain-3.png", 8, 8);
        DatasetException e = assertThrows(
                DatasetException.class, () -> reader.read(DatasetSource.pairs("r", DatasetLayout.RAIN100L, root("R"))));
        assertEquals(2, e.offenders().size(), e.getMessage());
        assertTrue(e.getMessage().contains("rain-2.png: no clean partner norain-2.*"), e.getMessage());
        assertTrue(e.getMessage().contains("norain-3.png: clean image without a degraded partner"), e.getMessage());
    }

    @Test
    void sizeMismatchesAreListedTogether() throws Exception {
        image("L/low/1.png", 8, 8);
        image("L/high/1.png", 8, 6);
        image("L/low/2.png", 8, 8);
        image("L/high/2.png", 8, 8);
        image("L/low/3.png", 4, 8);
        image("L/high/3.png", 8, 8);
        List<Sample> s = reader.read(DatasetSource.pairs("lol", DatasetLayout.LOL, root("L")));
        DatasetException e = assertThrows(DatasetException.class, () -> new PairValidator(store).validate(s));
        assertEquals(2, e.offenders().size());
        assertTrue(e.getMessage().contains("low/1.png is 8x8 but its partner"), e.getMessage());
        assertTrue(e.getMessage().contains("high/3.png is 8x8"), e.getMessage());
    }

    @Test
    void missingRootEmptyFolderAndBadConfigNameTheProblem() throws Exception {
        DatasetException e = assertThrows(
                DatasetException.class,
                () -> reader.read(DatasetSource.pairs("gopro", DatasetLayout.GOPRO, root("none"))));
        assertTrue(e.getMessage().contains("folder not found"), e.getMessage());

        Files.createDirectories(dir.resolve("empty"));
        Files.writeString(dir.resolve("empty/readme.txt"), "no photos here");
        DatasetException none = assertThrows(
                DatasetException.class,
                () -> reader.read(DatasetSource.clean("mine", root("empty"), List.of(Degradation.RAIN))));
        assertTrue(none.getMessage().contains("no images"), none.getMessage());

        var c = ConfigFactory.parseString("name = x, layout = clean, root = \"/d\", degradations = [noise, snow]");
        ConfigException.BadValue bad = assertThrows(ConfigException.BadValue.class, () -> DatasetSource.fromConfig(c));
        assertTrue(bad.getMessage().contains("degradations") && bad.getMessage().contains("snow"), bad.getMessage());

        var ok = DatasetSource.fromConfig(ConfigFactory.parseString("name = r, layout = rain100l, root = \"/d\""));
        assertEquals(List.of(Degradation.RAIN), ok.degradations());
        assertNull(ok.cleanRoot());
    }
}
