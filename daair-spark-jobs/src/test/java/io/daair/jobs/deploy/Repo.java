package io.daair.jobs.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The repository the deployment files live in (found above the test's working directory). */
final class Repo {
    static final Path ROOT = findRoot();

    private static final Pattern JVM_FLAGS = Pattern.compile("<spark\\.jvm\\.flags>(.*?)</spark\\.jvm\\.flags>");

    private Repo() {}

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files directly in {@code dir} whose names match {@code glob}, sorted. */
    static List<Path> files(String dir, String glob) {
        var matcher = path(dir).getFileSystem().getPathMatcher("glob:" + glob);
        try (Stream<Path> listing = Files.list(path(dir))) {
            return listing.filter(Files::isRegularFile)
                    .filter(p -> matcher.matches(p.getFileName()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String relative(Path file) {
        return ROOT.relativize(file.toAbsolutePath()).toString();
    }

    /** The parent pom's {@code spark.jvm.flags}: the JVM flags every daair JVM gets (Spark on Java 17). */
    static List<String> sparkJvmFlags() {
        Matcher m = JVM_FLAGS.matcher(read("pom.xml"));
        if (!m.find()) {
            throw new IllegalStateException("pom.xml has no <spark.jvm.flags> property");
        }
        return Arrays.asList(m.group(1).trim().split("\\s+"));
    }

    private static Path findRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml"))
                    && Files.isDirectory(dir.resolve("conf"))
                    && Files.isDirectory(dir.resolve("k8s"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (pom.xml, conf/, k8s/) at or above " + start);
    }
}
