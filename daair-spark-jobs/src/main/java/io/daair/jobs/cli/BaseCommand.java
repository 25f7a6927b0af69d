package io.daair.jobs.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** What every daair command shares: the global options, the console, the layered settings. */
abstract class BaseCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** Command options that stand for configuration keys, as {@code key=value} overrides. */
    protected List<String> optionOverrides() {
        return List.of();
    }

    protected final Settings settings() {
        return global.settings(commandDefaults(), optionOverrides());
    }

    /** This command's own defaults over reference.conf (none but for the demo). */
    protected Config commandDefaults() {
        return ConfigFactory.empty();
    }

    protected final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Adds {@code key=value} to {@code overrides} when the option was given. */
    protected static void putIfSet(List<String> overrides, String key, Object value) {
        if (value != null) {
            overrides.add(key + "=" + quote(value));
        }
    }

    private static String quote(Object value) {
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    protected static List<String> overrides() {
        return new ArrayList<>();
    }

    @Override
    public final Integer call() throws Exception {
        Logging.configure(global.verbose(), global.quiet());
        run();
        return ExitCode.OK.code;
    }

    protected abstract void run() throws Exception;
}
