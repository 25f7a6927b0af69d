package io.daair.data.samples;

import io.daair.data.fs.InFlightPaths;
import io.daair.data.image.ImageCodec;
import io.daair.data.image.ImageDecodeException;
import io.daair.data.image.RgbImage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The small set of freely licensed everyday colour photos committed under {@code resources/samples/} (sources,
 * authors and licences in its LICENSES.md): a training split (at most 256 px on the long side) and a disjoint
 * held-out split of distinct photos (256x256 centre crops) that the demo evaluates on.
 */
public final class SamplePhotos {

    /** Which split of the samples. */
    public enum Split {
        TRAIN(
                "train",
                List.of(
                        "apple_blossom.png",
                        "astronaut.png",
                        "bridge.png",
                        "brushes.png",
                        "clouds_at_dusk.png",
                        "coffee.png",
                        "dandelions.png",
                        "dragonfly.png",
                        "dune.png",
                        "fallen_leaf.png",
                        "fog.png",
                        "grass.png",
                        "jetty.png",
                        "lake_at_night.png",
                        "lamps.png",
                        "leaf.png",
                        "meadow_flowers.png",
                        "moss.png",
                        "mountain_path.png",
                        "nuthatch.png",
                        "orange_flower.png",
                        "raindrops.png",
                        "seed_head.png",
                        "small_butterfly.png",
                        "sunset.png",
                        "water_drop.png",
                        "yellow_flower.png")),
        HELDOUT(
                "heldout",
                List.of(
                        "autumn_mountains.png",
                        "boats.png",
                        "chelsea.png",
                        "clock.png",
                        "cups.png",
                        "dogs.png",
                        "fig.png",
                        "forest_path.png",
                        "hills.png",
                        "ladybird.png",
                        "living_room.png",
                        "marigold.png",
                        "stream.png",
                        "swallowtail.png"));

        private final String folder;
        private final List<String> names;

        Split(String folder, List<String> names) {
            this.folder = folder;
            this.names = names;
        }

        /** Folder name under {@code samples/} ("train" or "heldout"). */
        public String folder() {
            return folder;
        }

        /** File names in this split, sorted as listed. */
        public List<String> names() {
            return names;
        }
    }

    private SamplePhotos() {}

    /** Class-path resource names of a split, e.g. {@code samples/train/astronaut.png}. */
    public static List<String> resources(Split split) {
        return split.names().stream()
                .map(n -> "samples/" + split.folder() + "/" + n)
                .toList();
    }

    /** Decodes one sample photo by file name. */
    public static RgbImage read(Split split, String name) throws IOException {
        String resource = "samples/" + split.folder() + "/" + name;
        return ImageCodec.decode(bytes(resource), "classpath:" + resource);
    }

    /** Decodes every photo of a split, in {@link Split#names()} order. */
    public static List<RgbImage> readAll(Split split) {
        return split.names().stream()
                .map(n -> {
                    try {
                        return read(split, n);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .toList();
    }

    /**
     * Copies a split's PNG files to {@code dir/<split>/} (created if needed) so jobs can read them as an image
     * folder; returns that folder.
     */
    public static Path extract(Split split, Path dir) throws IOException {
        Path out = dir.resolve(split.folder());
        Files.createDirectories(out);
        for (String resource : resources(split)) {
            Path target = out.resolve(resource.substring(resource.lastIndexOf('/') + 1));
            Path tmp = Files.createTempFile(out, ".sample", ".tmp");
            InFlightPaths.add(tmp);
            Files.write(tmp, bytes(resource));
            Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            InFlightPaths.remove(tmp);
        }
        return out;
    }

    private static byte[] bytes(String resource) throws IOException {
        try (InputStream in = SamplePhotos.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new FileNotFoundException(
                        "sample photo not on the class path: " + resource + " (is the daair-data jar complete?)");
            }
            byte[] data = in.readAllBytes();
            if (data.length == 0) {
                throw new ImageDecodeException(resource, "empty file (0 bytes)");
            }
            return data;
        }
    }
}
