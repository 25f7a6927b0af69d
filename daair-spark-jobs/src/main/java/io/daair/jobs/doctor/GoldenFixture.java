package io.daair.jobs.doctor;

import io.daair.jobs.cli.UserException;
import io.daair.nn.io.Safetensors;
import io.daair.nn.io.Safetensors.Contents;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden values of a tiny network, computed by the independent PyTorch reference
 * ({@code tools/reference/daair_ref.py fixtures} and {@code gradients}; the same files as
 * daair-nn's {@code ReferenceFaithfulnessTest} uses): the weights of a custom configuration (dim 4,
 * kernel 3, E = 3, 59k parameters), a 2x3x32x32 input, its output and router probabilities, the
 * training loss for a target and labels, and the loss's gradient for every parameter.
 */
public record GoldenFixture(
        String source, Contents weights, Contents input, Contents expected, Contents loss, Contents gradients) {

    public static final String STEM = "custom-dim4-e3";
    private static final String INPUT = "input-2x3x32x32";
    private static final String RESOURCES = "/io/daair/nn/reference/";

    /** The fixture inside daair.jar. */
    public static GoldenFixture bundled() throws IOException {
        return new GoldenFixture(
                "the bundled PyTorch fixture " + STEM,
                resource(STEM),
                resource(INPUT),
                resource(STEM + "-expected"),
                resource(STEM + "-loss"),
                resource(STEM + "-gradients"));
    }

    /** A fixture with the bundled file names in {@code dir}. */
    public static GoldenFixture in(Path dir) throws IOException {
        return new GoldenFixture(
                dir.toString(),
                file(dir, STEM),
                file(dir, INPUT),
                file(dir, STEM + "-expected"),
                file(dir, STEM + "-loss"),
                file(dir, STEM + "-gradients"));
    }

    private static Contents resource(String name) throws IOException {
        String path = RESOURCES + name + ".safetensors";
        try (InputStream in = GoldenFixture.class.getResourceAsStream(path)) {
            if (in == null) {
                throw UserException.badState(path + " is missing from the classpath: rebuild daair.jar");
            }
            return Safetensors.read(in, path);
        }
    }

    private static Contents file(Path dir, String name) throws IOException {
        Path file = dir.resolve(name + ".safetensors");
        if (!Files.isRegularFile(file)) {
            throw UserException.badInput(file + " does not exist: a golden directory holds the files "
                    + STEM + ".safetensors, " + INPUT + ".safetensors and " + STEM + "-{expected,loss,gradients}"
                    + ".safetensors");
        }
        return Safetensors.read(file);
    }
}
