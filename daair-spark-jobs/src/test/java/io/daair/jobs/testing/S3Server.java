package io.daair.jobs.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * A real S3 API server on 127.0.0.1 (S3Proxy with its file-system backend) that the test starts as a separate
 * JVM, with fresh random credentials; Spark and Hadoop reach it through the S3A connector ({@code s3a://}).
 *
 * <p>Usage, with one instance per test class:
 *
 * <pre>{@code
 * @TempDir static Path tmp;
 * static S3Server s3;
 *
 * @BeforeAll static void start() throws IOException {
 *     s3 = S3Server.start(tmp.resolve("s3"));
 *     s3.createBucket("images");
 *     spark = s3.configure(SparkSession.builder().master("local[2]")...).getOrCreate();
 * }
 * @AfterAll static void stop() { spark.stop(); s3.close(); }
 *
 * spark.read().parquet("s3a://images/patches");
 * FileSystem fs = FileSystem.get(URI.create("s3a://images/"), s3.conf());   // or spark's hadoopConfiguration()
 * Path stored = s3.objectFile("images", "raw/a.png");                        // the object's bytes on disk
 * }</pre>
 *
 * <p>The credentials reach Spark the way a user passes them ({@code spark.hadoop.fs.s3a.access.key} and
 * {@code .secret.key}, path-style access, {@code http://} endpoint); they are never printed: {@link #toString()}
 * shows the endpoint only. The S3A credential provider is pinned to the given keys so that nothing probes
 * the environment or a cloud metadata address.
 *
 * <p>Why a separate JVM: S3Proxy brings Jetty 11, logback, Guava 33 and Jackson 2.20, which clash with Spark's
 * classpath and the enforcer's single-logging-binding rule. Maven copies S3Proxy's published self-contained
 * jar ({@code org.gaul:s3proxy:jar-with-dependencies}) to {@code target/s3proxy/s3proxy.jar} at
 * process-test-resources; failsafe passes its path as the system property {@code daair.s3proxy.jar}. Its log
 * is {@code s3proxy.log} in the server folder. Startup takes several seconds (S3Proxy's own start).
 */
public final class S3Server implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final String REGION = "us-east-1";

    private final Process process;
    private final Path blobs;
    private final Path log;
    private final int port;
    private final String accessKey;
    private final String secretKey;
    private Duration startup = Duration.ZERO;
    /** Stops the JVMs if the test JVM exits without {@link #close()} (they would outlive it). */
    private final Thread reaper = new Thread(this::stopProcesses, "S3Proxy-reaper");

    private S3Server(Process process, Path blobs, Path log, int port, String accessKey, String secretKey) {
        this.process = process;
        this.blobs = blobs;
        this.log = log;
        this.port = port;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * Starts S3Proxy with its objects under {@code dir/blobs} and waits until it answers HTTP.
     *
     * @throws IllegalStateException when the S3Proxy jar is missing or the server does not come up (with the
     *     end of its log)
     */
    public static S3Server start(Path dir) throws IOException {
        long t0 = System.nanoTime();
        Path jar = s3ProxyJar();
        Path blobs = Files.createDirectories(dir.resolve("blobs"));
        int port = freePort();
        String accessKey = "daair-" + randomHex(6);
        String secretKey = randomHex(20);
        Path props = dir.resolve("s3proxy.properties");
        Files.createFile(props, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(
                props,
                String.join(
                        "\n",
                        "s3proxy.endpoint=http://127.0.0.1:" + port,
                        "s3proxy.authorization=aws-v2-or-v4",
                        "s3proxy.identity=" + accessKey,
                        "s3proxy.credential=" + secretKey,
                        "jclouds.provider=filesystem",
                        "jclouds.filesystem.basedir=" + blobs.toAbsolutePath(),
                        ""),
                StandardCharsets.UTF_8);
        Path log = dir.resolve("s3proxy.log");
        ProcessBuilder pb = new ProcessBuilder(
                        javaBin(),
                        "-Xmx256m",
                        "-XX:TieredStopAtLevel=1",
                        "-Djava.net.preferIPv4Stack=true",
                        "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener",
                        "-jar",
                        jar.toString(),
                        "--properties",
                        props.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("LOG_LEVEL", "warn");
        Process process = pb.start();
        S3Server server = new S3Server(process, blobs, log, port, accessKey, secretKey);
        try {
            server.awaitHttp();
        } catch (RuntimeException | IOException e) {
            server.close();
            throw e;
        }
        server.startup = Duration.ofNanos(System.nanoTime() - t0);
        return server;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** How long {@link #start} took. */
    public Duration startup() {
        return startup;
    }

    /** Creates a bucket (with the file-system backend, a bucket is a folder under {@code blobs}). */
    public void createBucket(String bucket) throws IOException {
        Files.createDirectories(blobs.resolve(bucket));
    }

    /** Where S3Proxy keeps the bytes of object {@code key} of {@code bucket}: for checks independent of S3A. */
    public Path objectFile(String bucket, String key) {
        return blobs.resolve(bucket).resolve(key);
    }

    /** The S3A settings a user would give (without the {@code spark.hadoop.} prefix), in a stable order. */
    public Map<String, String> s3aSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("fs.s3a.endpoint", endpoint().toString());
        s.put("fs.s3a.endpoint.region", REGION);
        s.put("fs.s3a.path.style.access", "true");
        s.put("fs.s3a.connection.ssl.enabled", "false");
        s.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        s.put("fs.s3a.access.key", accessKey);
        s.put("fs.s3a.secret.key", secretKey);
        s.put("fs.s3a.attempts.maximum", "3");
        s.put("fs.s3a.retry.limit", "3");
        return s;
    }

    /**
     * Adds {@link #s3aSettings()} as {@code spark.hadoop.*} options, as {@code spark-submit --conf} would.
     *
     * @throws IllegalStateException when a SparkSession is still open in this JVM (it would ignore them)
     */
    public SparkSession.Builder configure(SparkSession.Builder builder) {
        StandaloneCluster.requireNoOpenSession("a session for " + this);
        s3aSettings().forEach((k, v) -> builder.config("spark.hadoop." + k, v));
        return builder;
    }

    /** A Hadoop configuration with {@link #s3aSettings()}, for {@code FileSystem.get(URI.create("s3a://b/"), conf)}. */
    public Configuration conf() {
        Configuration conf = new Configuration();
        s3aSettings().forEach(conf::set);
        return conf;
    }

    /** The server's log (stdout and stderr of the S3Proxy JVM). */
    public Path log() {
        return log;
    }

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
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Shows the endpoint, never the credentials. */
    @Override
    public String toString() {
        return "S3Server[" + endpoint() + "]";
    }

    private void awaitHttp() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited with code " + process.exitValue() + " before it"
                        + " answered on " + endpoint() + "; its log " + log + " ends with:\n" + logTail());
            }
            try {
                HttpURLConnection c = (HttpURLConnection) endpoint().toURL().openConnection();
                c.setConnectTimeout(1000);
                c.setReadTimeout(2000);
                int code = c.getResponseCode(); // any answer (403 without a signature) means it serves
                c.disconnect();
                if (code > 0) {
                    return;
                }
            } catch (IOException notYet) {
                sleep(200);
            }
        }
        throw new IllegalStateException("S3Proxy did not answer on " + endpoint() + " within " + START_TIMEOUT
                + "; its log " + log + " ends with:\n" + logTail());
    }

    private String logTail() throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    static Path s3ProxyJar() {
        String prop = System.getProperty("daair.s3proxy.jar");
        Path jar = prop == null ? null : Path.of(prop);
        if (jar == null || !Files.isRegularFile(jar)) {
            throw new IllegalStateException("The S3Proxy jar is missing (system property daair.s3proxy.jar = " + prop
                    + "). Run the test through Maven (mvn verify -Dit.test=...), which copies it to"
                    + " target/s3proxy/s3proxy.jar at process-test-resources, or set -Ddaair.s3proxy.jar=<that file>.");
        }
        return jar;
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for S3Proxy", e);
        }
    }
}
