package io.daair.jobs.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link S3Server}: Spark and the Hadoop FileSystem API write and read s3a:// through a real S3 API server. */
class S3ServerIT {
    private static final String BUCKET = "daair-it";

    @TempDir
    static Path tmp;

    static S3Server s3;
    static SparkSession spark;

    @BeforeAll
    static void start() throws IOException {
        s3 = S3Server.start(tmp.resolve("s3"));
        System.out.println(s3 + " started in " + s3.startup().toMillis() + " ms");
        s3.createBucket(BUCKET);
        spark = s3.configure(SparkSession.builder()
                        .master("local[2]")
                        .appName("S3ServerIT")
                        .config("spark.ui.enabled", "false")
                        .config("spark.driver.host", "127.0.0.1")
                        .config("spark.driver.bindAddress", "127.0.0.1")
                        .config("spark.sql.shuffle.partitions", "2")
                        .config("spark.local.dir", tmp.resolve("spark-local").toString()))
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void sparkWritesAndReadsParquetOnS3() throws IOException {
        String out = "s3a://" + BUCKET + "/datasets/squares";
        spark.range(0, 50)
                .selectExpr("id", "id * id AS square")
                .repartition(2)
                .write()
                .parquet(out);

        List<Row> back = spark.read().parquet(out).orderBy("id").collectAsList();
        assertEquals(50, back.size());
        for (Row r : back) {
            assertEquals(r.getLong(0) * r.getLong(0), r.getLong(1), "square of " + r.getLong(0));
        }
        try (var stored = Files.list(s3.objectFile(BUCKET, "datasets/squares"))) {
            long parquetObjects =
                    stored.filter(p -> p.toString().endsWith(".parquet")).count();
            assertEquals(2, parquetObjects, "one Parquet object per partition in the server's store");
        }
    }

    @Test
    void hadoopFileSystemWritesRenamesListsAndDeletesRawObjects() throws IOException {
        FileSystem fs = FileSystem.get(
                URI.create("s3a://" + BUCKET + "/"), spark.sparkContext().hadoopConfiguration());
        byte[] bytes = "a raw file, not Parquet\n".getBytes(StandardCharsets.UTF_8);
        org.apache.hadoop.fs.Path tmpName = new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/raw/_tmp.hello.txt");
        org.apache.hadoop.fs.Path finalName = new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/raw/hello.txt");
        try (OutputStream o = fs.create(tmpName, true)) {
            o.write(bytes);
        }
        assertTrue(fs.rename(tmpName, finalName), "write to a temporary name, then rename");
        assertFalse(fs.exists(tmpName));
        assertArrayEquals(bytes, Files.readAllBytes(s3.objectFile(BUCKET, "raw/hello.txt")), "bytes in the store");

        FileStatus[] listed = fs.listStatus(new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/raw"));
        assertEquals(1, listed.length);
        assertEquals(bytes.length, listed[0].getLen());
        try (InputStream in = fs.open(finalName)) {
            assertArrayEquals(bytes, in.readAllBytes());
        }
        assertTrue(fs.delete(finalName, false));
        assertFalse(Files.exists(s3.objectFile(BUCKET, "raw/hello.txt")));
    }

    @Test
    void credentialsStayOutOfTheLogAndToString() throws IOException {
        assertFalse(s3.toString().contains(s3.secretKey()));
        assertFalse(Files.readString(s3.log()).contains(s3.secretKey()), "S3Proxy's log");
    }
}
