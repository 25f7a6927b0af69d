package io.daair.jobs.deploy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.spark.internal.config.ConfigEntry;
import org.apache.spark.launcher.SparkLauncher;

/**
 * Whether a {@code spark.*} key is one Spark reads, and whether Spark accepts its value. Known keys
 * are the {@link ConfigEntry} registry of spark-core and spark-sql (filled when their config objects
 * load), the {@link SparkLauncher} constants, the key families Spark's configuration page documents
 * (environment variables, resources, Kubernetes volumes and secrets, {@code spark.hadoop.*}), and
 * an allow-list for spark-kubernetes and spark-yarn, which are not on this classpath.
 */
final class SparkKeys {
    private static final List<String> CONFIG_OBJECTS = List.of(
            "org.apache.spark.internal.config.package$",
            "org.apache.spark.internal.config.Deploy$",
            "org.apache.spark.internal.config.History$",
            "org.apache.spark.internal.config.Kryo$",
            "org.apache.spark.internal.config.Network$",
            "org.apache.spark.internal.config.Python$",
            "org.apache.spark.internal.config.Status$",
            "org.apache.spark.internal.config.UI$",
            "org.apache.spark.internal.config.Worker$",
            "org.apache.spark.sql.internal.SQLConf$",
            "org.apache.spark.sql.internal.StaticSQLConf$");

    private static final String ENV_NAME = "[A-Za-z_][A-Za-z0-9_]*";

    private static final List<Pattern> FAMILIES = List.of(
            Pattern.compile("spark\\.executorEnv\\." + ENV_NAME),
            Pattern.compile("spark\\.yarn\\.appMasterEnv\\." + ENV_NAME),
            Pattern.compile("spark\\.kubernetes\\.driverEnv\\." + ENV_NAME),
            Pattern.compile("spark\\.hadoop\\.[a-z].+"),
            Pattern.compile("spark\\.(driver|executor)\\.resource\\.[a-z0-9]+\\.(amount|discoveryScript|vendor)"),
            Pattern.compile("spark\\.task\\.resource\\.[a-z0-9]+\\.amount"),
            Pattern.compile(
                    "spark\\.kubernetes\\.(driver|executor)\\.(label|annotation|secrets|secretKeyRef)\\.[A-Za-z0-9_./-]+"),
            Pattern.compile(
                    "spark\\.kubernetes\\.(driver|executor)\\.volumes\\.(hostPath|emptyDir|persistentVolumeClaim|nfs)"
                            + "\\.[a-z0-9-]+\\.(mount\\.(path|subPath|readOnly)|options\\.[A-Za-z]+)"));

    /**
     * spark-kubernetes and spark-yarn are not in the build's package registry. These keys were
     * checked by hand against org.apache.spark.deploy.k8s.Config and
     * org.apache.spark.deploy.yarn.config of Spark 4.1; add a key here only after doing the same.
     */
    private static final Set<String> CLUSTER_MANAGER_KEYS = Set.of(
            "spark.kubernetes.namespace",
            "spark.kubernetes.container.image",
            "spark.kubernetes.container.image.pullPolicy",
            "spark.kubernetes.authenticate.driver.serviceAccountName",
            "spark.kubernetes.authenticate.executor.serviceAccountName",
            "spark.kubernetes.executor.request.cores",
            "spark.kubernetes.driver.podTemplateFile",
            "spark.kubernetes.executor.podTemplateFile",
            "spark.yarn.maxAppAttempts");

    private static final Set<String> LAUNCHER_KEYS = launcherKeys();

    static {
        for (String name : CONFIG_OBJECTS) {
            try {
                Class.forName(name, true, SparkKeys.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("Spark config object " + name + " is not on the test classpath", e);
            }
        }
    }

    private SparkKeys() {}

    /** What is wrong with {@code key = value} for Spark, or empty if Spark knows the key and takes the value. */
    static Optional<String> problem(String key, String value) {
        ConfigEntry<?> entry = ConfigEntry.findEntry(key);
        if (entry != null) {
            try {
                entry.valueConverter().apply(value);
                return Optional.empty();
            } catch (RuntimeException e) {
                return Optional.of(key + " = " + value + ": Spark rejects the value (" + e.getMessage() + ")");
            }
        }
        if (LAUNCHER_KEYS.contains(key)
                || CLUSTER_MANAGER_KEYS.contains(key)
                || FAMILIES.stream().anyMatch(p -> p.matcher(key).matches())) {
            return Optional.empty();
        }
        return Optional.of(
                key + ": not a Spark configuration key (typo? see spark.apache.org/docs/latest/configuration.html)");
    }

    private static Set<String> launcherKeys() {
        Set<String> keys = new HashSet<>();
        for (Field field : SparkLauncher.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    String value = (String) field.get(null);
                    if (value.startsWith("spark.")) {
                        keys.add(value);
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return keys;
    }
}
