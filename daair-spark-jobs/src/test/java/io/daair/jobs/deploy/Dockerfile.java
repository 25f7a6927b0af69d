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
 * The instructions of a Dockerfile as far as the deployment tests need them: stages, COPY, USER,
 * ENTRYPOINT, with continuation lines joined and {@code ARG} defaults substituted.
 */
record Dockerfile(Path file, List<Dockerfile.Stage> stages) {

    /** {@code COPY [--from=X] [--chmod=..] [--chown=..] sources... dest}. */
    record Copy(Optional<String> from, List<String> sources, String dest) {}

    record Stage(String base, Optional<String> name, List<Copy> copies, List<String> users, List<String> entrypoint) {}

    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    static Dockerfile parse(Path file) {
        List<String> lines;
        try {
            lines = joinContinuations(Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> globalArgs = new HashMap<>();
        Map<String, String> args = globalArgs;
        List<Stage> stages = new ArrayList<>();
        for (String line : lines) {
            String[] parts = line.split("\\s+", 2);
            String keyword = parts[0].toUpperCase();
            String rest = parts.length > 1 ? parts[1].trim() : "";
            switch (keyword) {
                case "ARG" -> declareArg(rest, args, globalArgs);
                case "FROM" -> {
                    args = new HashMap<>();
                    String[] from = substitute(rest, globalArgs).split("\\s+");
                    Optional<String> name = from.length >= 3 && from[1].equalsIgnoreCase("AS")
                            ? Optional.of(from[2])
                            : Optional.empty();
                    stages.add(new Stage(from[0], name, new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
                }
                case "COPY", "ADD" -> last(stages, file).copies().add(copy(substitute(rest, args), file));
                case "USER" -> last(stages, file).users().add(substitute(rest, args));
                case "ENTRYPOINT" -> {
                    Stage stage = last(stages, file);
                    stage.entrypoint().clear();
                    stage.entrypoint().addAll(execForm(rest, file));
                }
                default -> {}
            }
        }
        return new Dockerfile(file, stages);
    }

    Stage finalStage() {
        return stages.get(stages.size() - 1);
    }

    Optional<Stage> stage(String name) {
        return stages.stream().filter(s -> s.name().equals(Optional.of(name))).findFirst();
    }

    /** The repository path a file in the final image comes from, if a COPY from the build context puts it there. */
    Optional<String> repoSourceOf(String imagePath) {
        for (Copy copy : finalStage().copies()) {
            if (copy.from().isPresent()) {
                continue;
            }
            for (String source : copy.sources()) {
                String dest = copy.dest();
                if (source.endsWith("/")) {
                    String dir = dest.endsWith("/") ? dest : dest + "/";
                    if (imagePath.startsWith(dir)) {
                        return Optional.of(source + imagePath.substring(dir.length()));
                    }
                } else if (imagePath.equals(dest)
                        || (dest.endsWith("/")
                                && imagePath.equals(dest + Path.of(source).getFileName()))) {
                    return Optional.of(source);
                }
            }
        }
        return Optional.empty();
    }

    private static void declareArg(String declaration, Map<String, String> args, Map<String, String> globalArgs) {
        int eq = declaration.indexOf('=');
        if (eq < 0) {
            String inherited = globalArgs.get(declaration);
            if (inherited != null) {
                args.put(declaration, inherited);
            }
        } else {
            args.put(declaration.substring(0, eq), substitute(declaration.substring(eq + 1), args));
        }
    }

    private static Copy copy(String arguments, Path file) {
        if (arguments.startsWith("[")) {
            throw new IllegalArgumentException(
                    file + ": COPY in JSON form is not supported by this test: " + arguments);
        }
        Optional<String> from = Optional.empty();
        List<String> words = new ArrayList<>();
        for (String word : arguments.split("\\s+")) {
            if (word.startsWith("--from=")) {
                from = Optional.of(word.substring("--from=".length()));
            } else if (!word.startsWith("--")) {
                words.add(word);
            }
        }
        if (words.size() < 2) {
            throw new IllegalArgumentException(file + ": COPY needs a source and a destination: " + arguments);
        }
        return new Copy(from, List.copyOf(words.subList(0, words.size() - 1)), words.get(words.size() - 1));
    }

    private static List<String> execForm(String json, Path file) {
        if (!json.startsWith("[") || !json.endsWith("]")) {
            throw new IllegalArgumentException(
                    file + ": ENTRYPOINT must use the exec form [\"...\"] so that signals reach tini: " + json);
        }
        return Arrays.stream(json.substring(1, json.length() - 1).split(","))
                .map(String::trim)
                .map(s -> s.replaceAll("^\"|\"$", ""))
                .toList();
    }

    private static String substitute(String text, Map<String, String> args) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement(args.getOrDefault(name, m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Stage last(List<Stage> stages, Path file) {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException(file + ": instruction before the first FROM");
        }
        return stages.get(stages.size() - 1);
    }

    private static List<String> joinContinuations(List<String> raw) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : raw) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
            } else {
                current.append(trimmed);
                lines.add(current.toString().trim());
                current.setLength(0);
            }
        }
        return lines;
    }
}
