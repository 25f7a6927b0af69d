package io.daair.jobs.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * conf/spark/secure.conf (authentication, RPC and disk I/O encryption, ACLs) as the cluster
 * configurations must carry it, and on Kubernetes an authentication secret that comes from a
 * Kubernetes Secret mounted as a file: without one Spark generates the secret and writes it into the
 * executor pods' environment, readable by anyone who may read the pods.
 */
final class SecureSettings {
    static final String SECURE_CONF = "conf/spark/secure.conf";

    private SecureSettings() {}

    static Properties secureConf() {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(Repo.path(SECURE_CONF))) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props;
    }

    /** The settings of secure.conf that {@code conf} lacks or sets otherwise. */
    static List<String> missing(Map<String, String> conf) {
        Properties secure = secureConf();
        return secure.stringPropertyNames().stream()
                .sorted()
                .filter(key -> !secure.getProperty(key).equals(conf.get(key)))
                .map(key -> key + " is " + conf.get(key) + ", not " + secure.getProperty(key) + " as in " + SECURE_CONF)
                .toList();
    }

    /** Problems of {@code conf}'s authentication secret on Kubernetes; empty if it is a mounted Secret's file. */
    static List<String> kubernetesSecretProblems(Map<String, String> conf) {
        List<String> problems = new ArrayList<>();
        if (conf.containsKey("spark.authenticate.secret")) {
            problems.add("spark.authenticate.secret is written in the configuration; mount a Kubernetes Secret");
        }
        for (String role : List.of("driver", "executor")) {
            String file = conf.getOrDefault(
                    "spark.authenticate.secret." + role + ".file", conf.get("spark.authenticate.secret.file"));
            if (file == null) {
                problems.add("no spark.authenticate.secret.file for the " + role
                        + ": Spark would put a generated secret into the executor pods' environment");
                continue;
            }
            String prefix = "spark.kubernetes." + role + ".secrets.";
            boolean mounted = conf.entrySet().stream()
                    .anyMatch(e -> e.getKey().startsWith(prefix) && file.startsWith(e.getValue() + "/"));
            if (!mounted) {
                problems.add("the " + role + "'s secret file " + file + " is in no " + prefix + "* mount");
            }
        }
        return problems;
    }
}
