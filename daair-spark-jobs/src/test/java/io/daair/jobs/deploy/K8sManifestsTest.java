package io.daair.jobs.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.network.util.JavaUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * k8s/: every SparkApplication runs a class, subcommand, options, files and configuration keys
 * that exist (the files through the image's COPY lines, the keys in Spark's registry and in the
 * merged reference.conf); GPU settings agree; credentials come only from secrets; the service
 * accounts have only what Spark's driver needs.
 */
class K8sManifestsTest {
    private static final String JAR_URI = "local://";
    private static final String POD_TEMPLATE = "k8s/pod-template.yaml";
    private static final Set<String> DRIVER_RESOURCES =
            Set.of("pods", "services", "configmaps", "persistentvolumeclaims");
    private static final Set<String> DRIVER_VERBS =
            Set.of("create", "get", "list", "watch", "delete", "deletecollection");
    private static final Pattern CREDENTIAL_KEY =
            Pattern.compile("(?i).*(access\\.?key|secret\\.?key|session\\.?token|password).*");

    /** A document of a manifest file, with the file it came from for messages. */
    record Doc(Path file, Map<String, Object> yaml) {
        String kind() {
            return String.valueOf(yaml.get("kind"));
        }

        String name() {
            return String.valueOf(map(yaml, "metadata").get("name"));
        }

        @Override
        public String toString() {
            return Repo.relative(file) + " " + kind() + " " + name();
        }
    }

    static List<Doc> documents() {
        List<Doc> docs = new ArrayList<>();
        for (Path file : Repo.files("k8s", "*.yaml")) {
            try (InputStream in = Files.newInputStream(file)) {
                for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(in)) {
                    if (doc instanceof Map<?, ?> m) {
                        docs.add(new Doc(file, cast(m)));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return docs;
    }

    static Stream<Doc> applications() {
        List<Doc> apps = documents().stream()
                .filter(d -> d.kind().equals("SparkApplication"))
                .toList();
        assertFalse(apps.isEmpty(), "no SparkApplication in k8s/");
        return apps.stream();
    }

    @ParameterizedTest
    @MethodSource("applications")
    void theApplicationRunsAClassAndSubcommandThatExist(Doc app) throws Exception {
        Map<String, Object> spec = map(app.yaml(), "spec");
        String mainClass = String.valueOf(spec.get("mainClass"));
        Object command = Class.forName(mainClass).getDeclaredConstructor().newInstance();
        List<String> args = strings(spec.get("arguments"));
        assertFalse(args.isEmpty(), app + ": no arguments (the first names the daair command)");
        CommandLine sub = new CommandLine(command).getSubcommands().get(args.get(0));
        assertTrue(sub != null, app + ": '" + args.get(0) + "' is not a command of " + mainClass);
        List<String> problems = checkArguments(sub.getCommandSpec(), args.subList(1, args.size()), dockerfileOf(app));
        assertEquals(List.of(), problems, app + ": arguments");
    }

    @ParameterizedTest
    @MethodSource("applications")
    void theJarIsTheOneTheImageCopies(Doc app) {
        String file = String.valueOf(map(app.yaml(), "spec").get("mainApplicationFile"));
        assertTrue(
                file.startsWith(JAR_URI),
                app + ": mainApplicationFile " + file + " should be a local:// path in the image");
        Optional<String> source = dockerfileOf(app).repoSourceOf(file.substring(JAR_URI.length()));
        assertTrue(
                source.isPresent() && source.get().endsWith("/daair.jar"),
                app + ": " + file + " is not where the image's COPY puts daair.jar");
    }

    @ParameterizedTest
    @MethodSource("applications")
    void sparkConfUsesOnlySparkKeysWithValuesSparkAccepts(Doc app) {
        Map<String, Object> sparkConf = map(map(app.yaml(), "spec"), "sparkConf");
        List<String> problems = sparkConf.entrySet().stream()
                .flatMap(e -> SparkKeys.problem(e.getKey(), String.valueOf(e.getValue())).stream())
                .toList();
        assertEquals(List.of(), problems, app + ": sparkConf");
        assertEquals(
                ConfFilesTest.JAVA_SERIALIZER,
                String.valueOf(sparkConf.getOrDefault("spark.serializer", ConfFilesTest.JAVA_SERIALIZER)),
                app + ": spark.serializer: Spark's Kryo 4 cannot serialize Java records");
    }

    @ParameterizedTest
    @MethodSource("applications")
    void driverAndExecutorsGetTheFlagsAndNd4jFitsTheirMemory(Doc app) {
        for (String role : List.of("driver", "executor")) {
            Map<String, Object> pod = map(map(app.yaml(), "spec"), role);
            JvmOptions options = JvmOptions.parse(String.valueOf(pod.getOrDefault("javaOptions", "")));
            List<String> missing = Repo.sparkJvmFlags().stream()
                    .filter(flag -> !options.options().contains(flag))
                    .toList();
            assertEquals(
                    List.of(), missing, app + ": " + role + ".javaOptions lacks flags of the pom's spark.jvm.flags");
            assertTrue(
                    options.property("org.bytedeco.javacpp.cachedir").isPresent(),
                    app + ": " + role + " sets no " + JvmOptions.CACHE_DIR);
            long heap = JavaUtils.byteStringAsBytes(String.valueOf(pod.get("memory")));
            long overhead = JavaUtils.byteStringAsBytes(String.valueOf(pod.get("memoryOverhead")));
            Optional<String> problem = options.memoryProblem(heap, Optional.of(heap + overhead));
            assertFalse(problem.isPresent(), app + ": " + role + ": " + problem.orElse(""));
        }
    }

    @ParameterizedTest
    @MethodSource("applications")
    void nativeLibrariesUnpackIntoAMountedVolume(Doc app) {
        Map<String, Object> spec = map(app.yaml(), "spec");
        for (String role : List.of("driver", "executor")) {
            String javaOptions = String.valueOf(map(spec, role).getOrDefault("javaOptions", ""));
            Optional<String> cache = JvmOptions.parse(javaOptions).property("org.bytedeco.javacpp.cachedir");
            String volumePrefix = "spark.kubernetes." + role + ".volumes.emptyDir.";
            boolean mounted = map(spec, "sparkConf").entrySet().stream()
                    .anyMatch(e -> e.getKey().startsWith(volumePrefix)
                            && e.getKey().endsWith(".mount.path")
                            && cache.equals(Optional.of(String.valueOf(e.getValue()))));
            assertTrue(
                    mounted, app + ": " + role + "'s javacpp cache " + cache.orElse("(none)") + " is on no emptyDir");
        }
    }

    @ParameterizedTest
    @MethodSource("applications")
    void gpuExecutorsAskForTheSameGpusEverywhere(Doc app) {
        Map<String, Object> spec = map(app.yaml(), "spec");
        Map<String, Object> sparkConf = map(spec, "sparkConf");
        Map<String, Object> gpu = map(map(spec, "executor"), "gpu");
        Object amount = sparkConf.get("spark.executor.resource.gpu.amount");
        if (gpu.isEmpty() && amount == null) {
            return; // a CPU application
        }
        assertEquals("nvidia.com/gpu", gpu.get("name"), app + ": executor.gpu.name");
        assertEquals(
                String.valueOf(gpu.get("quantity")),
                String.valueOf(amount),
                app + ": executor.gpu.quantity and spark.executor.resource.gpu.amount differ");
        assertEquals("nvidia.com", sparkConf.get("spark.executor.resource.gpu.vendor"), app + ": GPU vendor");
        assertTrue(
                sparkConf.containsKey("spark.executor.resource.gpu.discoveryScript"),
                app + ": no GPU discovery script");
        assertTrue(sparkConf.containsKey("spark.task.resource.gpu.amount"), app + ": tasks take no GPU");
        assertTrue(
                String.valueOf(spec.get("image")).endsWith(":gpu"),
                app + ": GPU executors need the GPU image (docker/Dockerfile.gpu)");
    }

    @ParameterizedTest
    @MethodSource("applications")
    void driverAndExecutorPodsAreHardenedAsThePodTemplate(Doc app) {
        Map<String, Object> template = podTemplate(POD_TEMPLATE);
        for (String role : List.of("driver", "executor")) {
            Map<String, Object> spec = map(map(map(map(app.yaml(), "spec"), role), "template"), "spec");
            assertEquals(List.of(), PodSecurity.problems(spec, images()), app + ": " + role + ".template.spec");
            assertEquals(template, spec, app + ": " + role + ".template.spec differs from " + POD_TEMPLATE);
        }
    }

    @Test
    void sparkSubmitPodsAreHardenedThroughThePodTemplateFiles() {
        Map<String, String> conf = ConfFilesTest.sparkConf(List.of("kubernetes"));
        for (String role : List.of("driver", "executor")) {
            String key = "spark.kubernetes." + role + ".podTemplateFile";
            String file = conf.get(key);
            assertTrue(file != null, "conf/spark/kubernetes.conf sets no " + key);
            assertEquals(
                    List.of(),
                    PodSecurity.problems(podTemplate(file), images()),
                    "conf/spark/kubernetes.conf " + key + " " + file);
        }
    }

    @ParameterizedTest
    @MethodSource("applications")
    void applicationsAuthenticateAndEncryptWithASecretFromKubernetes(Doc app) {
        Map<String, String> sparkConf = new java.util.TreeMap<>();
        map(map(app.yaml(), "spec"), "sparkConf").forEach((k, v) -> sparkConf.put(k, String.valueOf(v)));
        assertEquals(List.of(), SecureSettings.missing(sparkConf), app + ": sparkConf");
        assertEquals(List.of(), SecureSettings.kubernetesSecretProblems(sparkConf), app + ": sparkConf");
    }

    @Test
    void credentialsComeOnlyFromSecrets() {
        for (Doc doc : documents()) {
            assertFalse(
                    doc.kind().equals("Secret"), doc + ": a Secret in k8s/ (create it with kubectl, k8s/README.md)");
            if (!doc.kind().equals("SparkApplication")) {
                continue;
            }
            Map<String, Object> spec = map(doc.yaml(), "spec");
            for (String section : List.of("sparkConf", "hadoopConf")) {
                for (Map.Entry<String, Object> e : map(spec, section).entrySet()) {
                    boolean fromSecret = e.getKey().contains(".secretKeyRef.")
                            && String.valueOf(e.getValue()).matches("[a-z0-9-]+:[A-Za-z0-9_.-]+");
                    if (CREDENTIAL_KEY.matcher(e.getKey()).matches() && !fromSecret) {
                        fail(doc + ": " + section + " " + e.getKey() + " holds a credential; take it from a secret");
                    }
                }
            }
            for (String role : List.of("driver", "executor")) {
                for (Object env : list(map(spec, role).get("env"))) {
                    Map<String, Object> var = cast((Map<?, ?>) env);
                    assertFalse(
                            var.containsKey("value")
                                    && CREDENTIAL_KEY
                                            .matcher(String.valueOf(var.get("name")))
                                            .matches(),
                            doc + ": " + role + ".env " + var.get("name")
                                    + " has a literal value; use valueFrom.secretKeyRef");
                }
            }
        }
    }

    @Test
    void theDriverAccountHasOnlyWhatSparkNeedsAndExecutorsNone() {
        List<Doc> docs = documents();
        Set<String> accounts = Set.copyOf(docs.stream()
                .filter(d -> d.kind().equals("ServiceAccount"))
                .map(Doc::name)
                .toList());
        for (Doc app : applications().toList()) {
            for (String role : List.of("driver", "executor")) {
                Object account = map(map(app.yaml(), "spec"), role).get("serviceAccount");
                assertTrue(
                        accounts.contains(String.valueOf(account)),
                        app + ": " + role + " service account " + account + " is not in k8s/");
            }
        }
        List<Doc> roles = docs.stream()
                .filter(d -> d.kind().equals("Role") || d.kind().equals("ClusterRole"))
                .toList();
        assertFalse(roles.isEmpty(), "no Role for the driver in k8s/");
        for (Doc role : roles) {
            assertEquals("Role", role.kind(), role + ": a ClusterRole grants more than the namespace Spark runs in");
            for (Object r : list(role.yaml().get("rules"))) {
                Map<String, Object> rule = cast((Map<?, ?>) r);
                assertEquals(List.of(""), strings(rule.get("apiGroups")), role + ": only the core API group");
                assertTrue(
                        DRIVER_RESOURCES.containsAll(strings(rule.get("resources"))),
                        role + ": resources " + rule.get("resources"));
                assertTrue(DRIVER_VERBS.containsAll(strings(rule.get("verbs"))), role + ": verbs " + rule.get("verbs"));
            }
        }
        Set<String> bound = docs.stream()
                .filter(d -> d.kind().endsWith("RoleBinding"))
                .flatMap(d -> list(d.yaml().get("subjects")).stream())
                .map(s -> String.valueOf(cast((Map<?, ?>) s).get("name")))
                .collect(java.util.stream.Collectors.toSet());
        for (Doc app : applications().toList()) {
            Map<String, Object> spec = map(app.yaml(), "spec");
            assertTrue(
                    bound.contains(String.valueOf(map(spec, "driver").get("serviceAccount"))),
                    app + ": the driver's account has no role");
            assertFalse(
                    bound.contains(String.valueOf(map(spec, "executor").get("serviceAccount"))),
                    app + ": executors need no API access");
        }
    }

    /** The spec of a pod template file (a Pod), the path relative to the repository root. */
    private static Map<String, Object> podTemplate(String file) {
        try (InputStream in = Files.newInputStream(Repo.path(file))) {
            Object pod = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            assertTrue(pod instanceof Map<?, ?>, file + " is not a Pod");
            Map<String, Object> yaml = cast((Map<?, ?>) pod);
            assertEquals("Pod", yaml.get("kind"), file + ": kind");
            return map(yaml, "spec");
        } catch (IOException e) {
            throw new IllegalStateException(file + ": " + e, e);
        }
    }

    private static List<Dockerfile> images() {
        return DeploymentFilesTest.dockerfiles().map(Dockerfile::parse).toList();
    }

    /**
     * Options must be options of the command; {@code --conf FILE} a file the image has from conf/,
     * and {@code --set KEY=VALUE} a key of the merged reference.conf.
     */
    private static List<String> checkArguments(CommandSpec command, List<String> args, Dockerfile image) {
        Config reference = ConfigFactory.defaultReference();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-")) {
                problems.add("'" + arg + "' is not an option of daair " + command.name());
                continue;
            }
            OptionSpec option = command.findOption(arg.split("=", 2)[0]);
            if (option == null) {
                problems.add(arg + " is not an option of daair " + command.name());
                i += i + 1 < args.size() && !args.get(i + 1).startsWith("-") ? 1 : 0; // and its value
                continue;
            }
            if (option.arity().max() == 0 || arg.contains("=")) {
                continue;
            }
            String value = i + 1 < args.size() ? args.get(++i) : "";
            if (arg.equals("--conf")) {
                Optional<String> source = image.repoSourceOf(value);
                if (source.isEmpty() || !Files.isRegularFile(Repo.path(source.get()))) {
                    problems.add("--conf " + value + ": no such file in the image (from the repository's conf/)");
                } else {
                    problems.addAll(unknownKeys(
                            ConfigFactory.parseFile(Repo.path(source.get()).toFile()), reference, "--conf " + value));
                }
            } else if (arg.equals("--set")) {
                String key = value.split("=", 2)[0].trim();
                String path = key.startsWith("daair.") ? key : "daair." + key;
                if (!reference.hasPathOrNull(path)) {
                    problems.add("--set " + value + ": " + path + " is in no reference.conf");
                }
            }
        }
        return problems;
    }

    private static List<String> unknownKeys(Config config, Config reference, String where) {
        return config.entrySet().stream()
                .map(Map.Entry::getKey)
                .filter(key -> !reference.hasPathOrNull(key))
                .map(key -> where + ": " + key + " is in no reference.conf")
                .toList();
    }

    /** The Dockerfile that builds the application's image: Dockerfile.gpu for ":gpu" images, else Dockerfile.cpu. */
    private static Dockerfile dockerfileOf(Doc app) {
        String image = String.valueOf(map(app.yaml(), "spec").get("image"));
        return Dockerfile.parse(Repo.path(image.endsWith(":gpu") ? "docker/Dockerfile.gpu" : "docker/Dockerfile.cpu"));
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        return value instanceof Map<?, ?> m ? cast(m) : Map.of();
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }

    private static List<String> strings(Object value) {
        return list(value).stream().map(String::valueOf).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
