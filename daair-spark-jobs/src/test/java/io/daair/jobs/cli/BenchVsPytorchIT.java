package io.daair.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/daair bench nn --vs-pytorch} for real, on a tiny shape: the side-by-side table where the default
 * Python imports torch (Debian's python3-torch), else (CI) the one-line error saying how to install it. A Python
 * without torch is also always tried, so the error path runs on every machine.
 */
class BenchVsPytorchIT {
    private static final String DEFAULT_PYTHON = "/usr/bin/python3";
    private static final List<String> TINY = List.of(
            "bench",
            "nn",
            "--vs-pytorch",
            "--presets",
            "tiny",
            "--batch",
            "2",
            "--crop",
            "32",
            "--inference-size",
            "32",
            "--steps",
            "1",
            "--threads",
            "1");
    // "| tiny | a / b / rx |" for each of the five figures
    private static final Pattern ROW = Pattern.compile("\\| tiny( \\| [0-9.e+-]+ / [0-9.e+-]+ / [0-9.e+-]+x){5} \\|");

    @TempDir
    Path tmp;

    @Test
    void sideBySideTableWhereTorchIsImportableElseHowToInstallIt() throws Exception {
        boolean torch = importsTorch(DEFAULT_PYTHON);
        String branch = torch ? "torch importable: the table" : "no torch (as in CI): the error";
        System.out.println("BenchVsPytorchIT: " + DEFAULT_PYTHON + " " + branch);
        Run run = daair(TINY);
        if (torch) {
            assertEquals(0, run.exitCode, branch + "\n" + run.printed());
            assertTrue(run.out.contains("| preset | train step s (daair / PyTorch / ratio) |"), branch + run.out);
            assertTrue(ROW.matcher(run.out).find(), branch + ", no tiny row with five figures:\n" + run.out);
            assertTrue(run.out.contains("batch 2, 32x32, inference 32x32, 1 thread(s) each"), run.out);
        } else {
            assertInstallError(run, branch);
        }
    }

    @Test
    void aPythonWithoutTorchIsAOneLineErrorSayingHowToInstallIt() throws Exception {
        // Debian's python3 without its site packages (-S) does not see python3-torch
        Path python = tmp.resolve("python-without-site");
        Files.writeString(python, "#!/bin/sh\nexec " + DEFAULT_PYTHON + " -S \"$@\"\n");
        Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwx------"));
        List<String> args = new ArrayList<>(TINY);
        args.addAll(List.of("--python", python.toString()));
        Run run = daair(args);
        assertInstallError(run, "python without torch");
        assertTrue(run.err.contains(python.toString()), "names the python: " + run.err);
    }

    private static void assertInstallError(Run run, String branch) {
        assertEquals(ExitCode.BAD_INPUT.code, run.exitCode, branch + "\n" + run.printed());
        List<String> lines =
                run.err.lines().filter(l -> l.startsWith("daair: ")).toList();
        assertEquals(1, lines.size(), branch + ", one line from daair:\n" + run.err);
        assertTrue(lines.get(0).contains("cannot import torch"), lines.get(0));
        assertTrue(lines.get(0).contains("apt-get install python3-torch"), lines.get(0));
        assertFalse(run.out.contains("Result["), branch + ", checked before measuring anything:\n" + run.out);
    }

    private static boolean importsTorch(String python) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false; // no such python
        }
    }

    private record Run(int exitCode, String out, String err) {
        String printed() {
            return out + "\n" + err;
        }
    }

    private Run daair(List<String> args) throws Exception {
        List<String> command =
                new ArrayList<>(List.of(repoRoot().resolve("bin/daair").toString()));
        command.addAll(args);
        Path out = tmp.resolve("stdout.txt");
        Path err = tmp.resolve("stderr.txt");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment()
                .put(
                        "DAAIR_JAVA_OPTS",
                        "-Xmx1g -Dorg.bytedeco.javacpp.maxbytes=1g -Dorg.bytedeco.javacpp.maxphysicalbytes=3g");
        Process p = builder.start();
        try {
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "bin/daair " + args + " did not end in 5 minutes");
        } finally {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("bin/daair"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "no bin/daair at or above " + Path.of("").toAbsolutePath());
    }
}
