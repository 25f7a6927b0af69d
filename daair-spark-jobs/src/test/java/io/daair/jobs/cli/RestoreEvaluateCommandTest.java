package io.daair.jobs.cli;

import static io.daair.jobs.testing.Cli.daair;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.jobs.testing.Cli.Run;
import org.junit.jupiter.api.Test;

/** {@code daair restore} and {@code daair evaluate}: bad input fails before any Spark work, naming what to fix. */
class RestoreEvaluateCommandTest {

    @Test
    void restoreWithoutModelNamesTheKeyAndTheOption() {
        Run run = daair("restore", "--input", "/in", "--output", "/out");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("daair.restore.model"), run.err());
    }

    @Test
    void restoreRejectsAnUnknownFormatNamingValueAndOrigin() {
        Run run = daair("restore", "--model", "m.safetensors", "--input", "/in", "--output", "/out", "--format", "jpg");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(
                run.err().contains("format")
                        && run.err().contains("jpg")
                        && run.err().contains("png16"),
                run.err());
    }

    @Test
    void restoreRejectsATileSizeThatIsNoMultipleOfEight() {
        Run run = daair("restore", "--model", "m", "--input", "/in", "--output", "/out", "--tile-size", "100");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("multiple of 8") && run.err().contains("100"), run.err());
    }

    @Test
    void restoreReadsThePixelBudgetNamingTheKeyOfABadValue() {
        Run run = daair(
                "restore", "--model", "m", "--input", "/in", "--output", "/out", "--set", "data.image.max-pixels=0");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(
                run.err().contains("daair.data.image.max-pixels") && run.err().contains("0"), run.err());
    }

    @Test
    void restoreHelpDocumentsTheExitCodeOfFailedImages() {
        Run run = daair("restore", "--help");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("4 some images failed"), run.out());
        assertEquals(4, ExitCode.SOME_FAILED.code);
    }

    @Test
    void evaluateWithoutBenchmarkSaysHowToGiveOne() {
        Run run = daair("evaluate", "--model", "m.safetensors", "--report", "/tmp/r");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("--benchmark NAME=PATH"), run.err());
    }

    @Test
    void evaluateRejectsAnUnknownBenchmarkListingTheValidOnes() {
        Run run = daair("evaluate", "--model", "m", "--report", "/tmp/r", "--benchmark", "urban100=/data/Urban100");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("urban100") && run.err().contains("sots-outdoor"), run.err());
    }
}
