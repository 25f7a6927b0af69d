package io.daair.jobs.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * A real Spark standalone cluster on 127.0.0.1: one master and N workers (1 core each), every one a separate
 * JVM started by the test, whose executors are separate JVMs again (children of the workers).
 *
 * <p>Usage, with one instance per test class:
 *
 * <pre>{@code
 * @TempDir static Path tmp;
 * static StandaloneCluster cluster;
 * static SparkSession spark;
 *
 * @BeforeAll static void start() throws IOException {
 *     cluster = StandaloneCluster.start(tmp.resolve("cluster"));            // 2 workers, 1 core, 1g each
 *     spark = cluster.sessionBuilder("TrainJobIT").getOrCreate();          // client mode, driver in the test JVM
 * }
 * @AfterAll static void stop() { spark.stop(); cluster.close(); }
 *
 * long pid = cluster.killOneExecutor();   // in the middle of a job: Spark must retry the lost tasks
 * }</pre>
 *
 * <p>What the executors run: as on a real cluster, Spark and its libraries come from the cluster (here the jars
 * of the test classpath without our modules, given as {@code SPARK_DIST_CLASSPATH} of an otherwise empty
 * {@code SPARK_HOME}) and our code from the application jars in {@code spark.jars}: the shaded
 * {@code target/daair.jar} (built by {@code package}, before failsafe runs; failsafe passes its path as the
 * system property {@code daair.jar}) and a jar of the test classes, so that test-only functions and lambdas
 * also run on executors. The JVM flags (Spark's {@code --add-opens} list from the parent pom) are copied from
 * the test JVM to every daemon and executor.
 *
 * <p>Logs: {@code master.log}, {@code worker-N.log} in the cluster folder, executor logs under
 * {@code worker-N/app-ID/EXECUTOR/stderr}. Startup takes the time of one master and the workers started in
 * parallel (several seconds each; {@link #startup()} tells).
 */
public final class StandaloneCluster implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final String EXECUTOR_MAIN = "org.apache.spark.executor.CoarseGrainedExecutorBackend";
    /** JIT and GC settings that halve a test JVM's startup (C1 only, serial GC); tests are short. */
    private static final String QUICK_START_FLAGS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");

    private final Path dir;
    private final int masterPort;
    private final int masterWebPort;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();
    private Duration startup = Duration.ZERO;
    /** Stops the JVMs if the test JVM exits without {@link #close()} (they would outlive it). */
    private final Thread reaper = new Thread(this::stopProcesses, "cluster-reaper");

    private StandaloneCluster(Path dir, int masterPort, int masterWebPort, Process master) {
        this.dir = dir;
        this.masterPort = masterPort;
        this.masterWebPort = masterWebPort;
        this.master = master;
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Starts a master and two workers with 1 core and 1 GiB for executors each. */
    public static StandaloneCluster start(Path dir) throws IOException {
        return start(dir, 2, "1g");
    }

    /**
     * Starts a master and {@code workerCount} workers, each offering 1 core and {@code workerMemory} (Spark's
     * notation, e.g. {@code 1g}) to executors, and waits until every worker has registered with the master.
     *
     * @throws IllegalStateException when a JVM exits or the workers do not register in time (with the log tails)
     */
    public static StandaloneCluster start(Path dir, int workerCount, String workerMemory) throws IOException {
        long t0 = System.nanoTime();
        Path sparkHome = sparkHome(dir.resolve("spark-home"));
        int port = S3Server.freePort();
        int webPort = S3Server.freePort();
        Process master = launch(
                dir,
                sparkHome,
                "master",
                "org.apache.spark.deploy.master.Master",
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--webui-port",
                String.valueOf(webPort));
        StandaloneCluster cluster = new StandaloneCluster(dir, port, webPort, master);
        try {
            cluster.awaitAliveWorkers(0);
            for (int i = 1; i <= workerCount; i++) {
                Path work = Files.createDirectories(dir.resolve("worker-" + i));
                cluster.workers.add(launch(
                        dir,
                        sparkHome,
                        "worker-" + i,
                        "org.apache.spark.deploy.worker.Worker",
                        "--host",
                        "127.0.0.1",
                        "--webui-port",
                        "0",
                        "--cores",
                        "1",
                        "--memory",
                        workerMemory,
                        "--work-dir",
                        work.toString(),
                        cluster.masterUrl()));
            }
            cluster.awaitAliveWorkers(workerCount);
        } catch (RuntimeException | IOException e) {
            cluster.close();
            throw e;
        }
        cluster.startup = Duration.ofNanos(System.nanoTime() - t0);
        return cluster;
    }

    /** {@code spark://127.0.0.1:PORT}. */
    public String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** The master's web UI; {@code /json/} gives the cluster state. */
    public URI masterWebUi() {
        return URI.create("http://127.0.0.1:" + masterWebPort + "/");
    }

    /** How long {@link #start} took until all workers were registered. */
    public Duration startup() {
        return startup;
    }

    /**
     * A session builder for a driver in the test JVM (client deploy mode) on this cluster: master URL, the
     * application jars ({@link #applicationJars()}), driver bound to loopback, UI off, one executor of 1 core and
     * 512 MiB per worker (getOrCreate returns once all have registered, so the first job uses every worker),
     * executors started with the test JVM's flags ({@link #jvmFlags()}) plus C1-only JIT and serial GC. Override
     * any of them with {@code config(...)}.
     */
    public SparkSession.Builder sessionBuilder(String appName) throws IOException {
        requireNoOpenSession("a session on " + masterUrl());
        return SparkSession.builder()
                .master(masterUrl())
                .appName(appName)
                .config("spark.submit.deployMode", "client")
                .config("spark.jars", String.join(",", applicationJars()))
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.executor.cores", "1")
                // one executor per worker, and the session is ready only once all of them registered
                .config("spark.cores.max", String.valueOf(workers.size()))
                .config("spark.scheduler.minRegisteredResourcesRatio", "1.0")
                .config("spark.scheduler.maxRegisteredResourcesWaitingTime", "180s")
                .config("spark.executor.memory", "512m")
                .config("spark.executor.extraJavaOptions", QUICK_START_FLAGS + " " + String.join(" ", jvmFlags()))
                .config("spark.local.dir", dir.resolve("driver-local").toString());
    }

    /**
     * The jars executors need for our code: {@code target/daair.jar} and a jar of the test classes (made once
     * in the cluster folder), as paths for {@code spark.jars}.
     */
    public List<String> applicationJars() throws IOException {
        return List.of(daairJar().toString(), testClassesJar().toString());
    }

    /** The executor JVMs now running (descendants of the worker JVMs). */
    public List<ProcessHandle> executors() {
        return workers.stream()
                .flatMap(Process::descendants)
                .filter(StandaloneCluster::isExecutor)
                .collect(Collectors.toList());
    }

    /**
     * Kills one running executor JVM at once (SIGKILL), as a lost machine would; its worker reports the loss and
     * the master starts a replacement. Returns the killed pid.
     *
     * @throws IllegalStateException when no executor is running
     */
    public long killOneExecutor() {
        ProcessHandle victim = executors().stream()
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "no executor JVM is running under the workers of " + masterUrl() + " (is a session open?)"));
        victim.destroyForcibly();
        victim.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        return victim.pid();
    }

    /** Stops every executor, worker and the master (forcibly after 10 s). */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        stopProcesses();
    }

    private void stopProcesses() {
        List<ProcessHandle> all = new ArrayList<>();
        for (Process w : workers) {
            w.descendants().forEach(all::add);
            all.add(w.toHandle());
        }
        master.descendants().forEach(all::add);
        all.add(master.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception stillAlive) {
                p.destroyForcibly();
            }
        }
    }

    @Override
    public String toString() {
        return "StandaloneCluster[" + masterUrl() + ", " + workers.size() + " workers]";
    }

    private void awaitAliveWorkers(int expected) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        URI json = masterWebUi().resolve("/json/");
        while (System.nanoTime() < deadline) {
            checkAlive();
            try {
                HttpURLConnection c = (HttpURLConnection) json.toURL().openConnection();
                c.setConnectTimeout(1000);
                c.setReadTimeout(5000);
                String body;
                try (var in = c.getInputStream()) {
                    body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                Matcher m = ALIVE_WORKERS.matcher(body);
                if (m.find() && Integer.parseInt(m.group(1)) >= expected) {
                    return;
                }
            } catch (IOException notYet) {
                // the master's web UI is not up yet
            }
            sleep(250);
        }
        throw new IllegalStateException("only some of " + expected + " workers registered with " + masterUrl()
                + " within " + START_TIMEOUT + "; see the logs in " + dir + "\n" + logTails());
    }

    private void checkAlive() throws IOException {
        List<Process> all = new ArrayList<>(workers);
        all.add(master);
        for (Process p : all) {
            if (!p.isAlive()) {
                throw new IllegalStateException(
                        "a cluster JVM exited with code " + p.exitValue() + "; logs in " + dir + "\n" + logTails());
            }
        }
    }

    private String logTails() throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> logs = Files.list(dir)) {
            for (Path log :
                    logs.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                sb.append("== ").append(log.getFileName()).append('\n');
                lines.subList(Math.max(0, lines.size() - 15), lines.size())
                        .forEach(l -> sb.append(l).append('\n'));
            }
        }
        return sb.toString();
    }

    private static Process launch(Path dir, Path sparkHome, String name, String mainClass, String... args)
            throws IOException {
        String classPath = sparkClassPath();
        List<String> cmd = new ArrayList<>();
        cmd.add(S3Server.javaBin());
        cmd.add("-Xmx256m");
        cmd.addAll(Arrays.asList(QUICK_START_FLAGS.split(" ")));
        cmd.addAll(jvmFlags());
        cmd.add("-cp");
        cmd.add(sparkHome.resolve("conf") + File.pathSeparator + classPath);
        cmd.add(mainClass);
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_DIST_CLASSPATH", classPath);
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        // one local dir for all: executors share the fetch cache, so the application jars are copied once
        env.put(
                "SPARK_LOCAL_DIRS",
                Files.createDirectories(dir.resolve("local")).toString());
        env.remove("SPARK_CONF_DIR");
        return pb.start();
    }

    /** An otherwise empty SPARK_HOME: an empty {@code jars} folder (Spark's launcher requires one) and a log config. */
    private static Path sparkHome(Path home) throws IOException {
        Files.createDirectories(home.resolve("jars"));
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.writeString(
                conf.resolve("log4j2.properties"),
                String.join(
                        "\n",
                        "rootLogger.level = info",
                        "rootLogger.appenderRef.stdout.ref = console",
                        "appender.console.type = Console",
                        "appender.console.name = console",
                        "appender.console.target = SYSTEM_ERR",
                        "appender.console.layout.type = PatternLayout",
                        "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n%ex",
                        "logger.jetty.name = org.sparkproject.jetty",
                        "logger.jetty.level = warn",
                        ""),
                StandardCharsets.UTF_8);
        return home;
    }

    /**
     * What the cluster provides: the jars of the test JVM's classpath (Spark and the rest) without our own code,
     * that is without class folders and without the {@code daair-*} module jars; our code comes from
     * {@link #applicationJars()} only.
     */
    private static String sparkClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> e.endsWith(".jar") && Files.isRegularFile(Path.of(e)))
                .filter(e -> !Path.of(e).getFileName().toString().startsWith("daair-"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /**
     * Fails when this JVM still has a SparkSession: {@code getOrCreate()} would return it and silently ignore
     * the new settings (another test class did not stop its session).
     */
    static void requireNoOpenSession(String wanted) {
        if (isOpen(SparkSession.getDefaultSession()) || isOpen(SparkSession.getActiveSession())) {
            throw new IllegalStateException("cannot create " + wanted + ": a SparkSession is still open in this JVM"
                    + " and getOrCreate() would return it with its old settings; stop it (spark.stop() in @AfterAll)");
        }
    }

    private static boolean isOpen(scala.Option<SparkSession> session) {
        return session.isDefined() && !session.get().sparkContext().isStopped();
    }

    /**
     * The test JVM's module and reflection flags (the parent pom's spark.jvm.flags). {@link #sessionBuilder} gives
     * executors these plus C1-only JIT and serial GC for a quick start; for executors that compute long, set
     * {@code spark.executor.extraJavaOptions} to {@code String.join(" ", jvmFlags())} alone.
     */
    public static List<String> jvmFlags() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens")
                        || a.startsWith("--add-exports")
                        || a.startsWith("--add-modules")
                        || a.startsWith("--enable-native-access")
                        || a.equals("-XX:+IgnoreUnrecognizedVMOptions")
                        || a.startsWith("-Djdk.reflect.useDirectMethodHandle")
                        || a.startsWith("-Dio.netty.tryReflectionSetAccessible")
                        || a.startsWith("-Djava.net.preferIPv4Stack"))
                .collect(Collectors.toList());
    }

    private static Path daairJar() {
        String prop = System.getProperty("daair.jar");
        if (prop == null || !Files.isRegularFile(Path.of(prop))) {
            throw new IllegalStateException("The application jar is missing (system property daair.jar = " + prop
                    + "). Run the test with mvn verify (package builds target/daair.jar before failsafe runs),"
                    + " or set -Ddaair.jar=<the shaded jar>.");
        }
        return Path.of(prop);
    }

    private Path testClassesJar() throws IOException {
        Path classes;
        try {
            classes = Path.of(StandaloneCluster.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the test classes", e);
        }
        if (Files.isRegularFile(classes)) {
            return classes;
        }
        Path jar = dir.resolve("test-classes.jar");
        if (Files.exists(jar)) {
            return jar;
        }
        Path part = dir.resolve("test-classes.jar.part");
        try (OutputStream out = Files.newOutputStream(part);
                JarOutputStream jos = new JarOutputStream(out);
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                jos.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, jos);
                jos.closeEntry();
            }
        }
        return Files.move(part, jar);
    }

    /**
     * Whether a process runs Spark's executor main class. Reads {@code /proc/PID/cmdline}, because
     * {@link ProcessHandle.Info} gives up on command lines over 4 KiB, as Spark's (with its classpath) are.
     */
    private static boolean isExecutor(ProcessHandle p) {
        try {
            Path cmdline = Path.of("/proc", String.valueOf(p.pid()), "cmdline");
            return new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).contains(EXECUTOR_MAIN);
        } catch (IOException goneOrNotLinux) {
            return p.info().commandLine().map(c -> c.contains(EXECUTOR_MAIN)).orElse(false);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Spark cluster", e);
        }
    }
}
