package io.daair.jobs.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MiniHdfs}: Spark writes and reads Parquet on hdfs:// and the files are really in HDFS. */
class MiniHdfsIT {
    @TempDir
    static Path tmp;

    static MiniHdfs hdfs;
    static SparkSession spark;

    @BeforeAll
    static void start() throws IOException {
        hdfs = MiniHdfs.start(tmp.resolve("hdfs"));
        System.out.println("MiniHdfs started in " + hdfs.startup().toMillis() + " ms at " + hdfs.uri());
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("MiniHdfsIT")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.local.dir", tmp.resolve("spark-local").toString())
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        if (hdfs != null) {
            hdfs.close();
        }
    }

    @Test
    void sparkWritesAndReadsParquetOnHdfs() throws IOException {
        String out = hdfs.uri().resolve("/datasets/squares").toString();
        Dataset<Row> squares = spark.range(0, 100).selectExpr("id", "id * id AS square");
        squares.repartition(3).write().parquet(out);

        FileSystem fs = FileSystem.get(hdfs.uri(), hdfs.conf());
        FileStatus[] parts = fs.listStatus(
                new org.apache.hadoop.fs.Path(out), p -> p.getName().endsWith(".parquet"));
        assertEquals(3, parts.length, "one Parquet file per partition in HDFS");
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path(out, "_SUCCESS")));
        assertFalse(Files.exists(Path.of("/datasets/squares")), "nothing written to the local disk");

        List<Row> back = spark.read().parquet(out).orderBy("id").collectAsList();
        assertEquals(100, back.size());
        for (Row r : back) {
            long id = r.getLong(0);
            assertEquals(id * id, r.getLong(1), "square of " + id);
        }
        long total = back.stream().mapToLong(r -> r.getLong(1)).sum();
        assertEquals(99L * 100 * 199 / 6, total, "sum of squares 0..99");
        System.out.println(
                "parts: " + Arrays.stream(parts).map(s -> s.getPath().getName()).collect(Collectors.joining(", ")));
    }
}
