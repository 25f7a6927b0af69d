package io.daair.jobs.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.data.degrade.Degradation;
import io.daair.jobs.cli.ExitCode;
import io.daair.jobs.cli.UserException;
import org.junit.jupiter.api.Test;

/** The --benchmark NAME=PATH forms users type. */
class BenchmarkTest {

    @Test
    void standardSets() {
        Benchmark b = Benchmark.parse("bsd68=hdfs://nn:8020/bench/BSD68");
        assertEquals(Benchmark.Kind.BSD68, b.kind());
        assertEquals("hdfs://nn:8020/bench/BSD68", b.path());
        assertNull(b.cleanPath());
        assertEquals(
                Benchmark.Kind.SOTS_OUTDOOR, Benchmark.parse("sots=/d/SOTS").kind());
        assertEquals("sots-outdoor", Benchmark.parse("SOTS-outdoor=/d/SOTS").name());
        assertEquals("lol-v1", Benchmark.parse("lol=/d/LOL").name());
        assertEquals(
                Benchmark.Kind.PARQUET,
                Benchmark.parse("parquet=s3a://b/patches").kind());
    }

    @Test
    void pairedFoldersMayBeUrisWithPortsAndColons() {
        Benchmark b = Benchmark.parse("paired=mine:hdfs://nn:8020/data/hazy:hdfs://nn:8020/data/clear:haze");
        assertEquals("mine", b.name());
        assertEquals("hdfs://nn:8020/data/hazy", b.path());
        assertEquals("hdfs://nn:8020/data/clear", b.cleanPath());
        assertEquals(Degradation.HAZE, b.degradation());

        Benchmark local = Benchmark.parse("paired=r:/tmp/rainy:/tmp/clean:rain");
        assertEquals("/tmp/rainy", local.path());
        assertEquals("/tmp/clean", local.cleanPath());
        assertEquals(Degradation.RAIN, local.degradation());

        Benchmark s3 = Benchmark.parse("paired=lo:s3a://bucket/low:file:///data/high:low-light");
        assertEquals("s3a://bucket/low", s3.path());
        assertEquals("file:///data/high", s3.cleanPath());
        assertEquals(Degradation.LOW_LIGHT, s3.degradation());
    }

    @Test
    void errorsNameTheArgumentAndTheValidForms() {
        UserException e = assertThrows(UserException.class, () -> Benchmark.parse("urban100=/d/Urban100"));
        assertTrue(e.getMessage().contains("urban100") && e.getMessage().contains("bsd68"), e.getMessage());
        e = assertThrows(UserException.class, () -> Benchmark.parse("/d/BSD68"));
        assertTrue(e.getMessage().contains("NAME=PATH"), e.getMessage());
        e = assertThrows(UserException.class, () -> Benchmark.parse("paired=/a:/b"));
        assertTrue(e.getMessage().contains("NAME:DEGRADED_DIR:CLEAN_DIR:DEGRADATION"), e.getMessage());
        e = assertThrows(UserException.class, () -> Benchmark.parse("paired=x:/a:/b:fog"));
        assertTrue(e.getMessage().contains("fog"), e.getMessage());
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    }

    @Test
    void syntheticBenchmarksOnePerDegradation() {
        assertEquals(java.util.List.of("noise-s25", "rain", "haze", "blur", "lowlight"), Benchmark.syntheticNames());
    }
}
