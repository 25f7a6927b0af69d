package io.daair.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/** Out-of-memory failures become one line that says which memory settings to raise. */
class FailuresTest {

    @Test
    void javacppLimitInsideAFailedSparkTaskNamesTheMemorySettings() {
        // what Spark reports when ND4J's off-heap arrays pass javacpp's maxphysicalbytes in a task
        SparkException e = new SparkException("Job aborted due to stage failure: Task 0 in stage 3.0 failed 1 times,"
                + " most recent failure: Lost task 0.0 in stage 3.0 (TID 7): java.lang.OutOfMemoryError: Physical"
                + " memory usage is too high: physicalBytes (8415M) > maxPhysicalBytes (8192M)\n"
                + "\tat org.bytedeco.javacpp.Pointer.deallocator(Pointer.java:700)");

        assertEquals(ExitCode.BAD_STATE, Failures.classify(e));
        String message = Failures.message(e, Failures.classify(e));
        assertTrue(
                message.contains("java.lang.OutOfMemoryError: Physical memory usage is too high: physicalBytes"
                        + " (8415M) > maxPhysicalBytes (8192M)"),
                message);
        assertTrue(message.contains("DAAIR_JAVA_OPTS"), message);
        assertTrue(message.contains("-Dorg.bytedeco.javacpp.maxphysicalbytes=8g"), message);
        assertTrue(message.contains("spark.executor.memoryOverhead"), message);
        assertFalse(message.contains("\n"), "one line: " + message);
    }

    @Test
    void heapExhaustionInTheDriverIsTheSameKindOfFailure() {
        RuntimeException e = new RuntimeException("restore failed", new OutOfMemoryError("Java heap space"));

        assertEquals(ExitCode.BAD_STATE, Failures.classify(e));
        assertTrue(Failures.message(e, ExitCode.BAD_STATE)
                .startsWith("out of memory (java.lang.OutOfMemoryError:" + " Java heap space): "));
    }

    @Test
    void otherFailuresAreNotMistakenForMemory() {
        IllegalStateException e = new IllegalStateException("checkpoint round-000012.ckpt is truncated");

        assertFalse(Failures.outOfMemory(e));
        assertEquals(ExitCode.INTERNAL_ERROR, Failures.classify(e));
    }
}
