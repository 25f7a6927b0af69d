package io.daair.jobs.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The spark-submit commands a document shows (a README, or the comments of a conf/spark file), with the
 * files their {@code --properties-file} is made of: the file itself, or the files an earlier
 * {@code cat A B ... > FILE} of the same document concatenated into it.
 */
record SparkSubmitExamples(Path document, List<SparkSubmitExamples.Command> commands) {

    record Command(String text, Optional<String> master, List<String> propertiesFiles) {
        /** Runs on a cluster: a cluster master, or a cluster manager's base file of conf/spark. */
        boolean onACluster() {
            return master.filter(m -> m.startsWith("k8s://") || m.startsWith("spark://") || m.equals("yarn"))
                            .isPresent()
                    || propertiesFiles.stream().anyMatch(f -> f.matches(".*(standalone|yarn|kubernetes)\\.conf"));
        }
    }

    private static final Pattern CAT = Pattern.compile("\\bcat\\s+([^>|;]*?)\\s*>\\s*([^\\s)]+)");

    static SparkSubmitExamples of(Path document) {
        List<String> lines;
        try {
            lines = Files.readAllLines(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean comments = document.getFileName().toString().endsWith(".conf");
        Map<String, List<String>> concatenated = new HashMap<>();
        List<Command> commands = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : lines) {
            if (comments && !raw.startsWith("#")) {
                continue;
            }
            String line = comments ? raw.replaceFirst("^#\\s?", "") : raw;
            current.append(line.strip());
            if (line.strip().endsWith("\\")) {
                current.setLength(current.length() - 1);
                current.append(' ');
                continue;
            }
            String command = current.toString();
            current.setLength(0);
            Matcher cat = CAT.matcher(command);
            while (cat.find()) {
                concatenated.put(cat.group(2), Arrays.asList(cat.group(1).trim().split("\\s+")));
            }
            if (command.contains("spark-submit ")) {
                Optional<String> file = option(command, "--properties-file");
                commands.add(new Command(
                        command,
                        option(command, "--master").map(m -> m.replace("\"", "")),
                        file.map(f -> concatenated.getOrDefault(f, List.of(f))).orElse(List.of())));
            }
        }
        return new SparkSubmitExamples(document, commands);
    }

    private static Optional<String> option(String command, String name) {
        List<String> tokens = Arrays.asList(command.trim().split("\\s+"));
        int i = tokens.indexOf(name);
        return i >= 0 && i + 1 < tokens.size() ? Optional.of(tokens.get(i + 1)) : Optional.empty();
    }
}
