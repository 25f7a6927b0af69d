package io.daair.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every job starts through {@link DaairCommand} (picocli, the configuration layered and checked for unknown keys):
 * no job has a {@code main} of its own that would load configuration another way.
 */
class EntryPointTest {

    @Test
    void daairCommandIsTheOnlyMain() throws IOException {
        Path sources = Path.of("src/main/java");
        try (Stream<Path> files = Files.walk(sources)) {
            List<String> mains = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> read(f).contains("static void main("))
                    .map(f -> f.getFileName().toString())
                    .toList();
            assertEquals(List.of("DaairCommand.java"), mains);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
