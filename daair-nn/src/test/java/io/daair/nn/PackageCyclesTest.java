package io.daair.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The packages of daair-nn depend on each other one way: no package reaches itself through its imports. */
class PackageCyclesTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern IMPORT =
            Pattern.compile("^import (io\\.daair\\.nn(?:\\.[a-z]+)*)\\.[A-Z]", Pattern.MULTILINE);

    @Test
    void noPackageImportsItselfThroughOthers() throws IOException {
        Map<String, Set<String>> imports = imports();
        List<String> cycles = new ArrayList<>();
        for (String from : imports.keySet()) {
            path(imports, from, from, new TreeSet<>()).ifPresent(p -> cycles.add(from + " -> " + p));
        }
        assertEquals(List.of(), cycles);
    }

    /** Package to the other io.daair.nn packages its main sources import. */
    private static Map<String, Set<String>> imports() throws IOException {
        Map<String, Set<String>> imports = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
                Set<String> targets = imports.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        targets.add(m.group(1));
                    }
                }
            }
        }
        return imports;
    }

    /** A path of imports from {@code at} back to {@code target}, if any. */
    private static Optional<String> path(Map<String, Set<String>> imports, String at, String target, Set<String> seen) {
        for (String next : imports.getOrDefault(at, Set.of())) {
            if (next.equals(target)) {
                return Optional.of(next);
            }
            if (seen.add(next)) {
                Optional<String> rest = path(imports, next, target, seen);
                if (rest.isPresent()) {
                    return Optional.of(next + " -> " + rest.get());
                }
            }
        }
        return Optional.empty();
    }
}
