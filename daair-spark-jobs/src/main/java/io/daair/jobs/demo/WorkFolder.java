package io.daair.jobs.demo;

import io.daair.jobs.cli.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The demo's work folder ({@code --work}): the demo writes only into a new or empty folder, or one an earlier
 * demo made (it holds {@link #MARKER}), and deletes only what a demo made there.
 */
final class WorkFolder {
    /** Written by the demo into its work folder: what lets a later demo reuse and clear it. */
    static final String MARKER = "_daair_demo.json";

    private static final String MARKER_TEXT = "{\"written-by\": \"daair demo\"}\n";

    private WorkFolder() {}

    /**
     * Takes {@code work} for the demo: refuses a file, or a non-empty folder without the marker, before
     * anything is written; then creates the folder and its marker.
     */
    static void claim(Path work) throws IOException {
        if (Files.exists(work) && !Files.isDirectory(work)) {
            throw UserException.badInput("--work " + work + " is a file: give a new or empty folder");
        }
        if (Files.isDirectory(work) && !isEmpty(work) && !Files.exists(work.resolve(MARKER))) {
            throw UserException.badInput("--work " + work + " is not empty and was not made by daair demo (it"
                    + " has no " + MARKER + "): nothing was changed; give a new or empty folder with --work");
        }
        Files.createDirectories(work);
        if (!Files.exists(work.resolve(MARKER))) {
            Files.writeString(work.resolve(MARKER), MARKER_TEXT);
        }
    }

    /** Deletes the folder {@code name} of a claimed work folder (an earlier demo's output), if there. */
    static void clear(Path work, String name) throws IOException {
        Path dir = work.resolve(name);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
