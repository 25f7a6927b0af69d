package io.daair.jobs.cli;

import static io.daair.jobs.testing.Cli.daair;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.jobs.testing.Cli.Run;
import io.daair.nn.io.Safetensors;
import io.daair.nn.io.Safetensors.Contents;
import io.daair.nn.io.Safetensors.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code daair doctor}: the installation it prints, and its verdict against golden values. */
class DoctorCommandTest {

    private static final List<String> FILES = List.of(
            "custom-dim4-e3",
            "input-2x3x32x32",
            "custom-dim4-e3-expected",
            "custom-dim4-e3-loss",
            "custom-dim4-e3-gradients");

    @Test
    void printsBackendAndMemoryAndAgreesWithTheBundledPytorchValues() {
        Run run = daair("doctor");

        assertEquals(0, run.exitCode(), run.out() + run.err());
        for (String label : List.of(
                "backend              CPU (org.nd4j.linalg.cpu.nativecpu.CpuBackend), blas OPENBLAS",
                "native build         AVX-512 build; this CPU supports",
                "JVM max heap         "
                        + String.format("%.1f GiB", Runtime.getRuntime().maxMemory() / (double) (1L << 30)),
                "javacpp maxbytes",
                "javacpp maxphysical",
                "OMP_NUM_THREADS",
                "output max |java - pytorch|",
                "gradients            ")) {
            assertTrue(run.out().contains(label), label + " missing from:\n" + run.out());
        }
        assertTrue(run.out().contains("\nOK: forward and backward pass agree"), run.out());
    }

    @Test
    void aWrongGoldenOutputIsBadStateNamingTheOutput(@TempDir Path dir) throws IOException {
        copyBundled(dir);
        change(dir, "custom-dim4-e3-expected", "output", 0.01f);

        Run run = daair("doctor", "--golden", dir.toString());

        assertEquals(3, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains("output max |java - pytorch| = 1.00e-02"), run.err());
        assertFalse(run.out().contains("OK:"), run.out());
    }

    @Test
    void aWrongGoldenGradientIsBadStateNamingTheParameter(@TempDir Path dir) throws IOException {
        copyBundled(dir);
        change(dir, "custom-dim4-e3-gradients", "dec.0.0.attn.proj.weight", 0.5f);

        Run run = daair("doctor", "--golden", dir.toString());

        assertEquals(3, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains("1 value(s) differ"), run.err());
        assertTrue(run.err().contains("d loss / d dec.0.0.attn.proj"), run.err());
        assertFalse(run.err().contains("output max"), "the forward values still agree: " + run.err());
    }

    @Test
    void aGoldenDirectoryWithoutTheFilesIsBadInputNamingTheFile(@TempDir Path dir) {
        Run run = daair("doctor", "--golden", dir.toString());

        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains(dir.resolve("custom-dim4-e3.safetensors").toString()), run.err());
    }

    private static void copyBundled(Path dir) throws IOException {
        for (String name : FILES) {
            try (InputStream in =
                    DoctorCommandTest.class.getResourceAsStream("/io/daair/nn/reference/" + name + ".safetensors")) {
                Files.copy(in, dir.resolve(name + ".safetensors"));
            }
        }
    }

    private static Contents read(Path dir, String stem) throws IOException {
        return Safetensors.read(dir.resolve(stem + ".safetensors"));
    }

    /** Adds {@code delta} to the first value of one tensor of a golden file. */
    private static void change(Path dir, String stem, String key, float delta) throws IOException {
        Contents contents = read(dir, stem);
        Map<String, Tensor> tensors = new LinkedHashMap<>(contents.tensors());
        float[] data = tensors.get(key).data().clone();
        data[0] += delta;
        tensors.put(key, new Tensor(tensors.get(key).shape(), data));
        Safetensors.write(dir.resolve(stem + ".safetensors"), tensors, contents.metadata());
    }
}
