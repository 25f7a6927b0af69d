package io.daair.jobs.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * A real HDFS (one NameNode, one DataNode) in the test JVM, on loopback, stored in a folder of the test.
 *
 * <p>Usage, with one instance per test class:
 *
 * <pre>{@code
 * @TempDir static Path tmp;
 * static MiniHdfs hdfs;
 *
 * @BeforeAll static void start() throws IOException { hdfs = MiniHdfs.start(tmp.resolve("hdfs")); }
 * @AfterAll static void stop() { hdfs.close(); }
 *
 * String patches = hdfs.uri().resolve("/patches").toString();   // hdfs://127.0.0.1:PORT/patches
 * spark.read().parquet(patches);                                  // plain URIs work: no Spark config needed
 * FileSystem fs = FileSystem.get(hdfs.uri(), hdfs.conf());        // the Hadoop API, for direct checks
 * }</pre>
 *
 * <p>Runs on Java 17 (Hadoop 3.4.2 fails on Java 25 with "getSubject is not supported"). Starts in
 * about 4 s; the cluster files live under the given folder and go with it.
 */
public final class MiniHdfs implements AutoCloseable {
    private final MiniDFSCluster cluster;
    private final Duration startup;

    private MiniHdfs(MiniDFSCluster cluster, Duration startup) {
        this.cluster = cluster;
        this.startup = startup;
    }

    /** Starts HDFS with its NameNode and DataNode files under {@code baseDir} and waits until it is writable. */
    public static MiniHdfs start(Path baseDir) throws IOException {
        long t0 = System.nanoTime();
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.toAbsolutePath().toString());
        conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        conf.set("dfs.datanode.address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        conf.setInt("dfs.replication", 1);
        conf.setBoolean("dfs.permissions.enabled", false);
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf, baseDir.toFile())
                .numDataNodes(1)
                .format(true)
                .build();
        cluster.waitActive();
        return new MiniHdfs(cluster, Duration.ofNanos(System.nanoTime() - t0));
    }

    /** The file system root, {@code hdfs://127.0.0.1:PORT}; {@code uri().resolve("/a/b")} names a path in it. */
    public URI uri() {
        return URI.create("hdfs://127.0.0.1:" + cluster.getNameNodePort());
    }

    /** A copy of the cluster's Hadoop configuration, with {@code fs.defaultFS} set to {@link #uri()}. */
    public Configuration conf() {
        Configuration conf = new Configuration(cluster.getConfiguration(0));
        conf.set("fs.defaultFS", uri().toString());
        return conf;
    }

    /** How long {@link #start} took. */
    public Duration startup() {
        return startup;
    }

    @Override
    public void close() {
        cluster.shutdown(true);
    }
}
