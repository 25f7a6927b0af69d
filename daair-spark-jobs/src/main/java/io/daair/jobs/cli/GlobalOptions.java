package io.daair.jobs.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every command takes: configuration layers, verbosity and error detail. */
public final class GlobalOptions {

    @Option(
            names = "--conf",
            paramLabel = "FILE",
            description = "HOCON configuration file (over the built-in defaults), e.g. conf/five-degradations.conf")
    Path confFile;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description =
                    "Override one key, last wins, e.g. --set daair.net.preset=small (the 'daair.' prefix may be left out)")
    List<String> overrides = new ArrayList<>();

    @Option(
            names = {"-v", "--verbose"},
            description = "More log output (Spark and daair at INFO/DEBUG)")
    boolean verbose;

    @Option(
            names = {"-q", "--quiet"},
            description = "Only warnings, errors and the final result")
    boolean quiet;

    @Option(names = "--stacktrace", description = "Print the stack trace of a failure")
    boolean stacktrace;

    /** Reads the layered configuration: defaults, then {@code --conf}, then {@code --set}. */
    public Settings settings(List<String> commandOverrides) {
        return settings(ConfigFactory.empty(), commandOverrides);
    }

    /** As {@link #settings(List)} with a command's own defaults between reference.conf and {@code --conf}. */
    public Settings settings(Config commandDefaults, List<String> commandOverrides) {
        List<String> all = new ArrayList<>(commandOverrides);
        all.addAll(overrides);
        return Settings.load(commandDefaults, confFile, all);
    }

    public boolean verbose() {
        return verbose;
    }

    public boolean quiet() {
        return quiet;
    }
}
