package io.daair.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.data.samples.SamplePhotos;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C on a real {@code bin/daair} process (the built jar, a JVM of its own): once the job writes its output
 * under a temporary name, SIGINT makes it say so in one line, exit with 130 and leave no temporary names.
 */
class InterruptIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    @TempDir
    Path tmp;

    @Test
    void ctrlCDuringPrepareSaysSoExits130AndLeavesNoTemporaryFiles() throws Exception {
        Path photos = SamplePhotos.extract(SamplePhotos.Split.TRAIN, tmp);
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path err = tmp.resolve("stderr.txt");
        Process daair = start(
                err,
                "prepare",
                "--input",
                photos.toUri().toString(),
                "--output",
                out.resolve("patches").toUri().toString(),
                "--patches-per-image",
                "8",
                "--crop",
                "64");
        try {
            awaitTemporary(daair, out);
            Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(daair.pid())).start();
            assertEquals(0, kill.waitFor(), "kill -INT");
            assertTrue(daair.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "daair did not stop after SIGINT");
        } finally {
            daair.destroyForcibly();
        }
        String stderr = Files.readString(err);
        assertEquals(ExitCode.INTERRUPTED.code, daair.exitValue(), stderr);
        List<String> daairLines =
                stderr.lines().filter(l -> l.startsWith("daair: ")).toList();
        assertEquals(1, daairLines.size(), "one line from daair: " + stderr);
        assertTrue(daairLines.get(0).startsWith("daair: interrupted"), daairLines.get(0));
        assertEquals(List.of(), temporaries(out), "temporary names left behind");
        assertFalse(Files.exists(out.resolve("patches")), "no half dataset under the target name");
    }

    /** bin/daair with SIGINT at its default disposition (a background job may inherit it ignored). */
    private Process start(Path err, String... args) throws IOException {
        Path daair = repoRoot().resolve("bin/daair");
        List<String> command = new ArrayList<>(List.of("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die $!"));
        command.add(daair.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(tmp.resolve("stdout.txt").toFile())
                .redirectError(err.toFile());
        builder.environment()
                .put(
                        "DAAIR_JAVA_OPTS",
                        "-Xmx1g -Dorg.bytedeco.javacpp.maxbytes=1g -Dorg.bytedeco.javacpp.maxphysicalbytes=3g");
        return builder.start();
    }

    private static void awaitTemporary(Process daair, Path out) throws Exception {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (temporaries(out).isEmpty()) {
            assertTrue(
                    daair.isAlive(),
                    "daair ended before writing (exit " + (daair.isAlive() ? "" : daair.exitValue()) + ")");
            assertTrue(Instant.now().isBefore(deadline), "daair wrote nothing under a temporary name in " + TIMEOUT);
            Thread.sleep(50);
        }
    }

    /** Files and folders under {@code dir} with a temporary name (".name.tmp..."), while daair may delete some. */
    private static List<Path> temporaries(Path dir) throws IOException {
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                return visit(d);
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                return visit(file);
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // removed while walking
            }

            private FileVisitResult visit(Path p) {
                if (p.getFileName().toString().contains(".tmp")) {
                    found.add(p);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return found;
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
