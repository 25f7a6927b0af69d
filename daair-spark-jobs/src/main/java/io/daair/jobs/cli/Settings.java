package io.daair.jobs.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The configuration of one run, read once at the edge. Precedence, lowest first:
 *
 * <ol>
 *   <li>the defaults in each module's {@code reference.conf} ({@code daair.net}, {@code daair.optim},
 *       {@code daair.data}, {@code daair.train}, {@code daair.restore}, {@code daair.evaluate}), and a
 *       command's own defaults over them ({@code daair demo} reads conf/demo.conf, bundled in the jar);
 *   <li>the {@code --conf FILE} (presets in {@code conf/} are such files, and may {@code include}
 *       each other);
 *   <li>command options such as {@code --preset} (each is a {@code --set} in disguise);
 *   <li>{@code --set key=value}, in order, last wins.
 * </ol>
 *
 * Every key under {@code daair} must exist in the defaults: an unknown key (a typo) fails before
 * any work, naming the key and where it came from. The records built from it validate values. A
 * Config object lives on the driver only: jobs ship validated records to executors, never this.
 */
public final class Settings {
    private static final String ROOT = "daair";

    private final Config config;
    private final Config given;

    private Settings(Config config, Config given) {
        this.config = config;
        this.given = given;
    }

    public Config config() {
        return config;
    }

    /** Whether {@code path} was given by the user (--conf, an option or --set), not only a default. */
    boolean given(String path) {
        return given.hasPath(path);
    }

    static Settings load(Path confFile, List<String> overrides) {
        return load(ConfigFactory.empty(), confFile, overrides);
    }

    /** As {@link #load(Path, List)} with a command's own defaults ({@code base}) over reference.conf. */
    static Settings load(Config base, Path confFile, List<String> overrides) {
        Config reference = base.withFallback(ConfigFactory.defaultReference());
        Config user = ConfigFactory.empty();
        for (String override : overrides) {
            user = parseOverride(override).withFallback(user);
        }
        if (confFile != null) {
            if (!Files.isRegularFile(confFile)) {
                throw UserException.badInput("--conf " + confFile + ": no such file (give the path of a HOCON file,"
                        + " for example conf/five-degradations.conf)");
            }
            Config file = ConfigFactory.parseFile(
                    confFile.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            user = user.withFallback(file);
        }
        user = user.resolveWith(reference.withFallback(ConfigFactory.systemEnvironment()));
        rejectUnknownKeys(user, reference);
        return new Settings(user.withFallback(reference).resolve(), user);
    }

    private static Config parseOverride(String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw UserException.badInput(
                    "--set " + override + ": expected KEY=VALUE, for example --set daair.net.preset=small");
        }
        String key = override.substring(0, eq).trim();
        String value = override.substring(eq + 1).trim();
        if (!key.startsWith(ROOT + ".")) {
            key = ROOT + "." + key;
        }
        String origin = "--set " + override;
        try {
            return ConfigFactory.parseString(
                    key + " = " + (value.isEmpty() ? "\"\"" : value),
                    ConfigParseOptions.defaults().setOriginDescription(origin));
        } catch (ConfigException.Parse e) {
            // A bare string HOCON cannot parse unquoted (a path with ':' etc.) is taken as a string.
            return ConfigFactory.parseMap(Map.of(key, value), origin);
        }
    }

    private static void rejectUnknownKeys(Config user, Config reference) {
        if (!user.hasPath(ROOT)) {
            return;
        }
        for (Map.Entry<String, ConfigValue> entry : user.getConfig(ROOT).entrySet()) {
            String key = ROOT + "." + entry.getKey();
            if (!known(key, reference)) {
                throw new ConfigException.BadPath(
                        entry.getValue().origin(),
                        key,
                        "unknown key (typo?); the keys and their defaults are listed in conf/README.md"
                                + " and in each module's reference.conf");
            }
        }
    }

    /** A key is known if the defaults have it (a key whose default is null included). */
    private static boolean known(String key, Config reference) {
        return reference.hasPathOrNull(key);
    }
}
