package io.daair.jobs.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The PyTorch side of {@code daair bench nn --vs-pytorch}: {@code tools/reference/bench_ref.py} of the
 * checkout that {@code bin/daair} runs from (it passes {@code -Ddaair.root}), run by a Python that imports torch.
 */
record PytorchReference(String python, Path script, String version) {

    static final String SCRIPT = "tools/reference/bench_ref.py";
    private static final String INSTALL = "install Debian's PyTorch with 'apt-get install python3-torch'"
            + " (its python3 is /usr/bin/python3) or pass --python";

    /** Finds the script and checks that {@code python} imports torch, or says what to do. */
    static PytorchReference locate(String python) throws InterruptedException {
        String root = System.getProperty("daair.root");
        if (root == null) {
            throw UserException.badInput("bench nn --vs-pytorch: the PyTorch reference " + SCRIPT
                    + " comes with the source tree, not with daair.jar (the docker image does not ship tools/):"
                    + " run bin/daair of a checkout of the repository");
        }
        Path script = Path.of(root, SCRIPT);
        if (!Files.isRegularFile(script)) {
            throw UserException.badInput("bench nn --vs-pytorch: " + script
                    + " does not exist (the docker image does not ship tools/): run bin/daair of a checkout of the"
                    + " repository");
        }
        return new PytorchReference(python, script, torchVersion(python));
    }

    /** The command measuring one preset: {@code shape} is NnBench's arguments (preset, E, batch, crop, inference, steps). */
    List<String> command(List<String> shape, int threads) {
        List<String> cmd = new ArrayList<>(List.of(python, script.toString(), shape.get(0)));
        cmd.addAll(List.of("--degradations", shape.get(1), "--batch", shape.get(2), "--crop", shape.get(3)));
        cmd.addAll(List.of("--inference-size", shape.get(4), "--steps", shape.get(5), "--threads", "" + threads));
        return cmd;
    }

    private static String torchVersion(String python) throws InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(python, "-c", "import torch; print(torch.__version__)")
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw UserException.badInput(
                    "bench nn --vs-pytorch: cannot run " + python + " (" + e.getMessage() + "); " + INSTALL);
        }
        String output;
        try {
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException("bench nn --vs-pytorch: cannot read the output of " + python, e);
        }
        if (p.waitFor() != 0) {
            String last = output.isEmpty()
                    ? "no output"
                    : output.lines().reduce((a, b) -> b).orElseThrow();
            throw UserException.badInput(
                    "bench nn --vs-pytorch: " + python + " cannot import torch (" + last + "); " + INSTALL);
        }
        return output.lines().reduce((a, b) -> b).orElse("?");
    }
}
