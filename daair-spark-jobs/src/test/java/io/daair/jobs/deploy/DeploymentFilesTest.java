package io.daair.jobs.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Docker images (docker/), checked without a Docker engine: what they copy exists or is built,
 * the build context lets it through, the entry point is an executable script that hands over to
 * Spark's, and the image runs as a non-root user.
 */
class DeploymentFilesTest {
    private static final String SPARK_ENTRYPOINT = "/opt/entrypoint.sh";

    /** The shaded jar: daair-spark-jobs/<build folder>/daair.jar, the folder being target or -Dbuild.dir.name. */
    private static final Pattern BUILT_JAR = Pattern.compile("daair-spark-jobs/target(-[A-Za-z0-9]+)?/daair\\.jar");

    static Stream<Path> dockerfiles() {
        List<Path> files = Repo.files("docker", "Dockerfile.*").stream()
                .filter(p -> !p.getFileName().toString().endsWith(".dockerignore"))
                .toList();
        assertFalse(files.isEmpty(), "no docker/Dockerfile.* found");
        return files.stream();
    }

    @Test
    void theShadedJarIsWhereTheDockerfilesLookForIt() {
        assertTrue(
                Repo.read("pom.xml").contains("<directory>${project.basedir}/${build.dir.name}</directory>"),
                "pom.xml: the build folder is no longer ${build.dir.name}; update BUILT_JAR in this test and the Dockerfiles");
        assertTrue(
                Repo.read("daair-spark-jobs/pom.xml")
                        .contains("<outputFile>${project.build.directory}/daair.jar</outputFile>"),
                "daair-spark-jobs/pom.xml: the shaded jar is no longer <build folder>/daair.jar; update the Dockerfiles");
    }

    @ParameterizedTest
    @MethodSource("dockerfiles")
    void everyCopiedFileExistsInTheRepositoryOrIsBuilt(Path file) {
        List<String> missing = new ArrayList<>();
        for (String source : contextSources(Dockerfile.parse(file))) {
            if (!BUILT_JAR.matcher(source).matches() && !Files.exists(Repo.path(source))) {
                missing.add(source);
            }
        }
        assertEquals(List.of(), missing, Repo.relative(file) + " copies paths that neither exist nor are built");
    }

    @ParameterizedTest
    @MethodSource("dockerfiles")
    void theDockerignoreLetsEveryCopiedFileThrough(Path file) throws IOException {
        Path ignore = file.resolveSibling(file.getFileName() + ".dockerignore");
        assertTrue(
                Files.isRegularFile(ignore),
                "missing " + Repo.relative(ignore) + " (the build context is the repository)");
        List<String> blocked = new ArrayList<>();
        for (String source : contextSources(Dockerfile.parse(file))) {
            if (!passes(Files.readAllLines(ignore), source)) {
                blocked.add(source);
            }
        }
        assertEquals(List.of(), blocked, Repo.relative(ignore) + " excludes files the Dockerfile copies");
    }

    @ParameterizedTest
    @MethodSource("dockerfiles")
    void theEntrypointIsAnExecutableScriptThatHandsOverToSpark(Path file) throws Exception {
        Dockerfile dockerfile = Dockerfile.parse(file);
        List<String> entrypoint = dockerfile.finalStage().entrypoint();
        assertFalse(entrypoint.isEmpty(), Repo.relative(file) + ": no ENTRYPOINT");
        Optional<String> source = dockerfile.repoSourceOf(entrypoint.get(0));
        assertTrue(
                source.isPresent(),
                Repo.relative(file) + ": ENTRYPOINT " + entrypoint.get(0) + " is not copied from the repository");
        Path script = Repo.path(source.get());
        assertTrue(Files.isExecutable(script), source.get() + " is not executable (git update-index --chmod=+x)");
        gitMode(source.get()).ifPresent(mode -> assertEquals("100755", mode, source.get() + ": mode in git"));
        assertTrue(
                Files.readString(script).contains(SPARK_ENTRYPOINT),
                source.get() + " does not hand over to " + SPARK_ENTRYPOINT);
        assertTrue(providesSparkEntrypoint(dockerfile), Repo.relative(file) + ": the image has no " + SPARK_ENTRYPOINT);
    }

    @ParameterizedTest
    @MethodSource("dockerfiles")
    void theImageRunsAsANonRootUser(Path file) {
        List<String> users = Dockerfile.parse(file).finalStage().users();
        assertFalse(users.isEmpty(), Repo.relative(file) + ": the final stage sets no USER (it would run as root)");
        String[] userAndGroup = users.get(users.size() - 1).split(":");
        String user = userAndGroup[0];
        assertFalse(user.equals("root") || user.equals("0"), Repo.relative(file) + ": USER " + user + " is root");
        assertTrue(
                user.matches("[1-9][0-9]*"),
                Repo.relative(file) + ": USER " + user
                        + " should be numeric so that Kubernetes' runAsNonRoot can verify it");
        assertTrue(
                userAndGroup.length == 2 && userAndGroup[1].matches("[1-9][0-9]*"),
                Repo.relative(file) + ": USER " + users.get(users.size() - 1)
                        + " should name a numeric non-root group too (uid:gid), the runAsGroup of k8s/pod-template.yaml");
    }

    @Test
    void theEntrypointSetsTheNativeCacheAndPassesTheArgumentsOn(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("cache");
        Result run = runEntrypoint(tmp, cache, "-Xss4m");
        assertEquals(0, run.exitCode, run.stderr);
        assertEquals("-Dorg.bytedeco.javacpp.cachedir=" + cache + " -Xss4m|driver --class X", run.stdout.trim());
        assertTrue(Files.isDirectory(cache), "the cache folder is created");
    }

    @Test
    void theEntrypointFallsBackToTmpWhenTheCacheIsNotWritable(@TempDir Path tmp) throws Exception {
        Path notADirectory = Files.writeString(tmp.resolve("file"), "");
        Result run = runEntrypoint(tmp, notADirectory.resolve("cache"), "");
        assertEquals(0, run.exitCode, run.stderr);
        assertEquals(
                "-Dorg.bytedeco.javacpp.cachedir=" + tmp.resolve("tmp/daair-javacpp-cache") + "|driver --class X",
                run.stdout.trim());
        assertTrue(run.stderr.contains("is not writable"), "says why: " + run.stderr);
    }

    private record Result(int exitCode, String stdout, String stderr) {}

    /** Runs docker/entrypoint.sh with a stand-in for Spark's entry point that prints what it got. */
    private static Result runEntrypoint(Path tmp, Path cache, String javaToolOptions) throws Exception {
        Path spark = Files.writeString(
                tmp.resolve("spark-entrypoint.sh"), "#!/usr/bin/env bash\necho \"$JAVA_TOOL_OPTIONS|$*\"\n");
        assertTrue(spark.toFile().setExecutable(true));
        Files.createDirectories(tmp.resolve("tmp"));
        ProcessBuilder builder =
                new ProcessBuilder("bash", Repo.path("docker/entrypoint.sh").toString(), "driver", "--class", "X");
        builder.environment().put("SPARK_ENTRYPOINT", spark.toString());
        builder.environment().put("DAAIR_JAVACPP_CACHE", cache.toString());
        builder.environment().put("TMPDIR", tmp.resolve("tmp").toString());
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        if (!javaToolOptions.isEmpty()) {
            builder.environment().put("JAVA_TOOL_OPTIONS", javaToolOptions);
        }
        Path out = tmp.resolve("out");
        Path err = tmp.resolve("err");
        Process process =
                builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "entrypoint.sh did not finish");
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** The build-context paths a Dockerfile copies (not those from other stages or images). */
    private static List<String> contextSources(Dockerfile dockerfile) {
        List<String> sources = new ArrayList<>();
        for (Dockerfile.Stage stage : dockerfile.stages()) {
            for (Dockerfile.Copy copy : stage.copies()) {
                if (copy.from().isEmpty()) {
                    copy.sources().forEach(s -> sources.add(s.replaceAll("/$", "")));
                }
            }
        }
        return sources;
    }

    /** Whether a .dockerignore ("*" then "!kept/paths") lets {@code source} into the build context. */
    private static boolean passes(List<String> ignoreLines, String source) {
        boolean included = true;
        for (String raw : ignoreLines) {
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean negated = line.startsWith("!");
            String pattern = (negated ? line.substring(1) : line).replaceAll("/$", "");
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            if (selfOrParents(source).stream().anyMatch(p -> matcher.matches(Path.of(p)))) {
                included = negated;
            }
        }
        return included;
    }

    /** "a/b/c" gives a, a/b, a/b/c: a pattern that matches a folder covers what is inside. */
    private static List<String> selfOrParents(String path) {
        List<String> prefixes = new ArrayList<>();
        for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
            prefixes.add(path.substring(0, slash));
        }
        prefixes.add(path);
        return prefixes;
    }

    /** The final image has Spark's entry point: from a Spark base image, or copied from a Spark stage. */
    private static boolean providesSparkEntrypoint(Dockerfile dockerfile) {
        if (isSparkImage(dockerfile.finalStage().base())) {
            return true;
        }
        return dockerfile.finalStage().copies().stream()
                .filter(c -> c.from().isPresent() && c.sources().contains(SPARK_ENTRYPOINT))
                .map(c -> dockerfile
                        .stage(c.from().get())
                        .map(Dockerfile.Stage::base)
                        .orElse(c.from().get()))
                .anyMatch(DeploymentFilesTest::isSparkImage);
    }

    private static boolean isSparkImage(String image) {
        return image.startsWith("apache/spark:") || image.startsWith("spark:");
    }

    private static Optional<String> gitMode(String path) throws InterruptedException {
        if (!Files.isDirectory(Repo.path(".git"))) {
            return Optional.empty();
        }
        try {
            Process git = new ProcessBuilder("git", "ls-files", "-s", "--", path)
                    .directory(Repo.ROOT.toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(git.getInputStream().readAllBytes()).trim();
            git.waitFor(30, TimeUnit.SECONDS);
            return out.isEmpty() ? Optional.empty() : Optional.of(out.split("\\s+")[0]);
        } catch (IOException e) {
            return Optional.empty(); // no git here: the file mode check above stands
        }
    }
}
