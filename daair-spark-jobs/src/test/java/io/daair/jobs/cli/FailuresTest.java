package io.daair.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import io.daair.data.BadInputException;
import io.daair.data.datasets.DatasetException;
import io.daair.nn.config.NetConfig;
import java.io.FileNotFoundException;
import java.util.List;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/**
 * Exit codes come from typed failures only: bad input (2), bad state (3), out of memory (3); anything else is an
 * internal error (1), whatever standard exception type it happens to be.
 */
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
        assertTrue(message.contains("-Dorg.bytedeco.javacpp.maxphysicalbytes="), message);
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

    @Test
    void aBugsIllegalArgumentExceptionIsAnInternalError() {
        IllegalArgumentException bug = new IllegalArgumentException("index -1 out of bounds");

        assertEquals(ExitCode.INTERNAL_ERROR, Failures.classify(bug));
        assertEquals(ExitCode.INTERNAL_ERROR, Failures.classify(new RuntimeException("task failed", bug)));
    }

    @Test
    void aFileNotFoundFromCodeIsNotGuessedToBeTheUsersState() {
        assertEquals(ExitCode.INTERNAL_ERROR, Failures.classify(new FileNotFoundException("/tmp/x.bin")));
    }

    @Test
    void typedBadInputOfEveryModuleExitsTwo() {
        assertEquals(ExitCode.BAD_INPUT, Failures.classify(UserException.badInput("--input /x is a file")));
        assertEquals(ExitCode.BAD_INPUT, Failures.classify(new ConfigException.Missing("daair.train.patches")));
        assertEquals(ExitCode.BAD_INPUT, Failures.classify(new DatasetException("dataset 'x' is empty", List.of())));
        assertEquals(ExitCode.BAD_INPUT, Failures.classify(new BadInputException("patch size 12 is no multiple of 8")));
        RuntimeException unknownPreset = org.junit.jupiter.api.Assertions.assertThrows(
                RuntimeException.class, () -> NetConfig.preset("huge", 5));
        assertEquals(ExitCode.BAD_INPUT, Failures.classify(new RuntimeException("in a task", unknownPreset)));
    }

    @Test
    void typedBadStateExitsThree() {
        assertEquals(ExitCode.BAD_STATE, Failures.classify(UserException.badState("no checkpoint in /run")));
    }
}
