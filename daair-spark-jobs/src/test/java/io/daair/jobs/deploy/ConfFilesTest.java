package io.daair.jobs.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.properties.PropertiesConfigurationFactory;
import org.apache.spark.network.util.JavaUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * conf/: the HOCON presets use only keys the defaults declare and keep the paper's protocol
 * (docs/architecture.md, "Losses and optimiser"); the Spark files use only Spark keys with values Spark
 * accepts, give every JVM the flags Spark needs on Java 17 and a native cache, keep Java serialization (Spark's
 * Kryo 4 cannot serialize the records daair's tasks are made of), and leave ND4J's
 * off-heap memory room inside what Spark reserves; logging keeps Spark quiet and daair at INFO.
 */
class ConfFilesTest {
    /** Degradation labels (docs/architecture.md): a single-task model needs an expert for its label. */
    private static final Map<String, Integer> LABELS =
            Map.of("noise", 0, "rain", 1, "haze", 2, "blur", 3, "lowlight", 4);

    private static final List<String> BASES = List.of("local", "standalone", "yarn", "kubernetes");

    static final String JAVA_SERIALIZER = "org.apache.spark.serializer.JavaSerializer";

    static Stream<Path> presets() {
        return Repo.files("conf", "*.conf").stream();
    }

    static Stream<Path> sparkFiles() {
        return Repo.files("conf/spark", "*.conf").stream();
    }

    static Stream<String> bases() {
        return BASES.stream();
    }

    /** Every base with the overlays that apply to it (no GPUs in local mode). */
    static Stream<Arguments> combinations() {
        List<Arguments> all = new ArrayList<>();
        for (String base : BASES) {
            all.add(Arguments.of(List.of(base)));
            all.add(Arguments.of(List.of(base, "secure")));
            if (!base.equals("local")) {
                all.add(Arguments.of(List.of(base, "gpu")));
                all.add(Arguments.of(List.of(base, "gpu", "secure")));
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("presets")
    void presetsUseOnlyKeysTheDefaultsDeclare(Path file) {
        Config preset = parse(file);
        assertEquals(
                List.of("daair"), List.copyOf(preset.root().keySet()), Repo.relative(file) + ": keys outside daair");
        Config reference = ConfigFactory.defaultReference();
        List<String> unknown = preset.entrySet().stream()
                .map(Map.Entry::getKey)
                .filter(key -> !reference.hasPathOrNull(key))
                .sorted()
                .toList();
        assertEquals(List.of(), unknown, Repo.relative(file) + ": keys no reference.conf declares");
    }

    @Test
    void paperPresetsKeepThePapersBatchAndSchedule() {
        Map<String, Integer> batches = Map.of(
                "three-degradations",
                32,
                "five-degradations",
                32,
                "single-noise",
                8,
                "single-rain",
                8,
                "single-haze",
                8,
                "single-blur",
                8,
                "single-lowlight",
                8);
        batches.forEach((name, batch) -> {
            Config c = parse(Repo.path("conf/" + name + ".conf"));
            String where = "conf/" + name + ".conf: ";
            assertEquals(
                    batch,
                    c.getInt("daair.train.workers") * c.getInt("daair.train.batch-size-per-worker"),
                    where + "workers x batch-size-per-worker is the paper's batch");
            assertEquals("paper", c.getString("daair.net.preset"), where + "net.preset");
            assertEquals(2e-4, c.getDouble("daair.optim.lr"), 1e-12, where + "optim.lr");
            assertEquals(120, c.getInt("daair.train.epochs"), where + "train.epochs");
            assertEquals(128, c.getInt("daair.data.patch.size"), where + "128x128 crops");
        });
        for (int e : List.of(3, 5)) {
            Config c = parse(Repo.path("conf/" + (e == 3 ? "three" : "five") + "-degradations.conf"));
            assertEquals(e, c.getInt("daair.net.degradations"), e + " experts");
            assertEquals(e, c.getInt("daair.data.mix.degradations"), "prepare mixes " + e + " degradations");
        }
    }

    @Test
    void singleTaskPresetsTrainTheirTaskWithAnExpertForIt() {
        Map<String, String> tasks = Map.of(
                "single-noise",
                "noise",
                "single-rain",
                "rain",
                "single-haze",
                "haze",
                "single-blur",
                "blur",
                "single-lowlight",
                "lowlight");
        tasks.forEach((name, task) -> {
            Config c = parse(Repo.path("conf/" + name + ".conf"));
            assertEquals(task, c.getString("daair.train.single-task"), name + ".conf: train.single-task");
            assertEquals(
                    task,
                    c.getString("daair.data.mix.degradations"),
                    name + ".conf: prepare makes " + task + " patches");
            assertTrue(
                    c.getInt("daair.net.degradations") > LABELS.get(task),
                    name + ".conf: net.degradations must exceed the label of " + task + " (" + LABELS.get(task) + ")");
        });
    }

    @ParameterizedTest
    @MethodSource("sparkFiles")
    void sparkFilesUseOnlySparkKeysWithValuesSparkAccepts(Path file) {
        Properties props = load(List.of(file));
        List<String> problems = props.stringPropertyNames().stream()
                .sorted()
                .flatMap(key -> SparkKeys.problem(key, props.getProperty(key)).stream())
                .toList();
        assertEquals(List.of(), problems, Repo.relative(file));
    }

    @ParameterizedTest
    @MethodSource("bases")
    void everyJvmGetsTheStackNotesFlagsAndANativeCacheAndJavaSerialization(String base) {
        Properties props = load(List.of(sparkFile(base)));
        String where = "conf/spark/" + base + ".conf: ";
        assertEquals(
                JAVA_SERIALIZER,
                props.getProperty("spark.serializer", JAVA_SERIALIZER),
                where + "spark.serializer: Spark's Kryo 4 cannot serialize Java records");
        List<String> roles = base.equals("local") ? List.of("driver") : List.of("driver", "executor");
        for (String role : roles) {
            String key = "spark." + role + ".extraJavaOptions";
            JvmOptions options = JvmOptions.parse(props.getProperty(key, ""));
            List<String> missing = Repo.sparkJvmFlags().stream()
                    .filter(flag -> !options.options().contains(flag))
                    .toList();
            assertEquals(List.of(), missing, where + key + " lacks flags of the pom's spark.jvm.flags");
            assertTrue(
                    options.property("org.bytedeco.javacpp.cachedir").isPresent(),
                    where + key + " sets no " + JvmOptions.CACHE_DIR);
        }
    }

    @ParameterizedTest
    @MethodSource("combinations")
    void nd4jMemoryFitsWhatSparkReserves(List<String> files) {
        Properties props = load(files.stream().map(ConfFilesTest::sparkFile).toList());
        for (String role : List.of("driver", "executor")) {
            String options = props.getProperty("spark." + role + ".extraJavaOptions");
            if (options == null) {
                continue; // local mode: no executor JVM
            }
            long heap = bytes(props.getProperty("spark." + role + ".memory", "1g"));
            Optional<Long> container = Optional.ofNullable(props.getProperty("spark." + role + ".memoryOverhead"))
                    .map(overhead -> heap + bytes(overhead));
            Optional<String> problem = JvmOptions.parse(options).memoryProblem(heap, container);
            assertFalse(problem.isPresent(), String.join(" + ", files) + ", " + role + ": " + problem.orElse(""));
        }
    }

    @ParameterizedTest
    @MethodSource("documents")
    void everyClusterExampleLoadsSecureConf(Path document) {
        SparkSubmitExamples examples = SparkSubmitExamples.of(document);
        List<String> insecure = examples.commands().stream()
                .filter(SparkSubmitExamples.Command::onACluster)
                .filter(c -> c.propertiesFiles().stream().noneMatch(f -> f.endsWith("secure.conf")))
                .map(SparkSubmitExamples.Command::text)
                .toList();
        assertEquals(
                List.of(), insecure, Repo.relative(document) + ": cluster examples without conf/spark/secure.conf");
    }

    @Test
    void onKubernetesTheAuthenticationSecretIsAMountedKubernetesSecret() {
        Map<String, String> conf = sparkConf(List.of("kubernetes", "secure"));
        assertEquals(List.of(), SecureSettings.kubernetesSecretProblems(conf), "kubernetes.conf + secure.conf");
        assertEquals(
                "s3a://daair/spark-events",
                conf.get("spark.eventLog.dir"),
                "secure.conf must not move kubernetes.conf's event logs");
    }

    /** The documents that show spark-submit commands: the READMEs, docs/ and conf/spark/'s comments. */
    static Stream<Path> documents() {
        List<Path> docs = new ArrayList<>(List.of(
                Repo.path("README.md"),
                Repo.path("conf/README.md"),
                Repo.path("k8s/README.md"),
                Repo.path("docker/README.md")));
        docs.addAll(Repo.files("docs", "*.md"));
        docs.addAll(Repo.files("conf/spark", "*.conf"));
        return docs.stream();
    }

    @Test
    void loggingKeepsSparkQuietAndDaairAtInfoAndFollowsTheRootLevel() throws IOException {
        Path file = Repo.path("conf/log4j2.properties");
        LoggerContext context = new LoggerContext("conf-files-test");
        try (InputStream in = Files.newInputStream(file)) {
            context.start(new PropertiesConfigurationFactory()
                    .getConfiguration(context, new ConfigurationSource(in, file.toFile())));
            assertTrue(context.getLogger("io.daair.jobs.train.TrainJob").isInfoEnabled(), "io.daair at INFO");
            assertFalse(context.getLogger("org.apache.spark.SparkContext").isInfoEnabled(), "Spark above INFO");
            assertTrue(context.getLogger("org.apache.spark.SparkContext").isWarnEnabled(), "Spark's warnings shown");
            assertFalse(context.getLogger("org.nd4j.linalg.factory.Nd4jBackend").isInfoEnabled(), "ND4J above INFO");
            // daair -v raises the root level (io.daair.jobs.cli.Logging): the libraries must follow it
            context.getConfiguration().getRootLogger().setLevel(Level.INFO);
            context.updateLoggers();
            assertTrue(context.getLogger("org.apache.spark.SparkContext").isInfoEnabled(), "-v shows Spark's INFO");
        } finally {
            context.stop();
        }
    }

    private static Config parse(Path file) {
        return ConfigFactory.parseFile(
                file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    }

    /** The named files of conf/spark/ (e.g. "kubernetes", "secure") concatenated, as a map. */
    static Map<String, String> sparkConf(List<String> names) {
        Properties props = load(names.stream().map(ConfFilesTest::sparkFile).toList());
        Map<String, String> conf = new java.util.TreeMap<>();
        props.stringPropertyNames().forEach(key -> conf.put(key, props.getProperty(key)));
        return conf;
    }

    private static Path sparkFile(String name) {
        return Repo.path("conf/spark/" + name + ".conf");
    }

    /** The files as spark-submit reads them after concatenation: later lines win. */
    private static Properties load(List<Path> files) {
        Properties props = new Properties();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                props.load(in);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return props;
    }

    private static long bytes(String size) {
        return JavaUtils.byteStringAsBytes(size);
    }
}
