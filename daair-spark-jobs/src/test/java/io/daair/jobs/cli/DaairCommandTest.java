package io.daair.jobs.cli;

import static io.daair.jobs.testing.Cli.daair;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.jobs.testing.Cli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees from the command line: help, exit codes, one-line errors. */
class DaairCommandTest {

    @Test
    void helpListsEveryCommandWithExamples() {
        Run run = daair("--help");
        assertEquals(0, run.exitCode());
        for (String command :
                new String[] {"prepare", "train", "restore", "evaluate", "info", "doctor", "bench", "demo"}) {
            assertTrue(run.out().contains("  " + command + " "), command + " missing from:\n" + run.out());
        }
        assertTrue(run.out().contains("Examples:"));
    }

    @Test
    void everyCommandHasHelpWithGlobalOptions() {
        for (String command :
                new String[] {"prepare", "train", "restore", "evaluate", "info", "doctor", "bench", "demo"}) {
            Run run = daair(command, "--help");
            assertEquals(0, run.exitCode(), command);
            assertTrue(run.out().contains("--conf=FILE"), command + ":\n" + run.out());
            assertTrue(run.out().contains("--set=KEY=VALUE"), command);
            assertTrue(run.out().contains("Examples:"), command);
        }
    }

    @Test
    void evaluateHelpSaysWhatTheSyntheticBenchmarkApplies() {
        String help = daair("evaluate", "--help").out();
        for (String name : io.daair.jobs.evaluate.Benchmark.syntheticNames()) {
            assertTrue(help.contains(name + " ("), name + " not described in:\n" + help);
        }
        assertTrue(help.contains("sigma 25"), help);
        long seed = com.typesafe.config.ConfigFactory.defaultReference().getLong("daair.evaluate.seed");
        assertTrue(help.contains("daair.evaluate.seed = " + seed), "the default seed, as reference.conf has it");
        assertTrue(help.contains("synthetic/<path under DIR>#<degradation>"), "the per-image seed key");
    }

    @Test
    void helpExamplesKeepEachUriOnOneLine() {
        for (String command :
                new String[] {"", "prepare", "train", "restore", "evaluate", "demo", "bench", "info", "doctor"}) {
            Run run = command.isEmpty() ? daair("--help") : daair(command, "--help");
            for (String line : run.out().lines().toList()) {
                assertFalse(
                        line.matches(".*\\b(s3a|hdfs|file):/*$") || line.matches("^/+\\S.*"), command + ": " + line);
            }
        }
    }

    @Test
    void unknownOptionIsBadInput() {
        Run run = daair("info", "--no-such-option");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--no-such-option"), run.err());
    }

    @Test
    void unknownConfigurationKeyIsBadInputNamingTheKey() {
        Run run = daair("info", "--set", "daair.net.dimm=16");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("daair.net.dimm"), run.err());
        assertTrue(run.err().contains("--set daair.net.dimm=16"), "names where the key came from: " + run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace without --stacktrace: " + run.err());
    }

    @Test
    void malformedSetIsBadInput() {
        Run run = daair("info", "--set", "novalue");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("KEY=VALUE"), run.err());
    }

    @Test
    void missingConfFileIsBadInputNamingTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("nope.conf");
        Run run = daair("info", "--conf", missing.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains(missing.toString()), run.err());
    }

    @Test
    void unknownKeyInConfFileNamesFileAndLine(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("my.conf");
        Files.writeString(conf, "daair {\n  net {\n    colour = blue\n  }\n}\n");
        Run run = daair("info", "--conf", conf.toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("daair.net.colour"), run.err());
        assertTrue(run.err().contains("my.conf: 3"), run.err());
    }

    @Test
    void infoPrintsTheSpecsParameterCountsAsJson() {
        // expected values: docs/architecture.md, "Presets and their exact parameter counts" (paper, E = 5)
        Run run = daair("info", "--preset", "paper", "--degradations", "5", "--json");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("\"trainable_params\":5977720"), run.out());
        assertTrue(run.out().contains("\"controller_params\":47136"), run.out());
        assertTrue(run.out().contains("\"gmacs_224\":20.5"), run.out());
    }

    @Test
    void benchWithoutTimedStepsIsBadInputNamingTheOption() {
        Run run = daair("bench", "routing", "--steps", "0");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("--steps must be at least 1"), run.err());
    }

    @Test
    void benchWithNoDaairThreadsIsBadInputNamingTheOption() {
        Run run = daair("bench", "nn", "--presets", "tiny", "--daair-threads", "0");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("--daair-threads must be at least 1, got 0"), run.err());
    }

    @Test
    void aSoakOfOneStepIsBadInputSayingWhyItNeedsTwo() {
        Run run = daair("bench", "soak", "--steps", "1");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("soak needs --steps of at least 2"), run.err());
    }

    @Test
    void benchVsPytorchOutsideACheckoutSaysTheScriptComesWithTheSourceTree() {
        // no -Ddaair.root: daair.jar run without bin/daair, as in the docker image
        Run run = daair("bench", "nn", "--vs-pytorch", "--presets", "tiny");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("tools/reference/bench_ref.py"), run.err());
        assertTrue(run.err().contains("docker image does not ship tools/"), run.err());
        assertEquals(1, run.err().strip().lines().count(), "one line: " + run.err());
    }

    @Test
    void benchVsPytorchIsForTheNetworkAlone() {
        // refused before anything runs (--steps 0 would be refused too, with another message)
        Run run = daair("bench", "routing", "--vs-pytorch", "--steps", "0");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("--vs-pytorch compares the network alone: use it with nn"), run.err());
    }

    @Test
    void benchRoundsAreAtLeastOneAndForTheNetworkAlone() {
        Run none = daair("bench", "nn", "--presets", "tiny", "--rounds", "0");
        assertEquals(2, none.exitCode(), none.err());
        assertTrue(none.err().contains("--rounds must be at least 1, got 0"), none.err());
        // refused before anything runs (--steps 0 would be refused too, with another message)
        Run soak = daair("bench", "soak", "--rounds", "2", "--steps", "0");
        assertEquals(2, soak.exitCode(), soak.err());
        assertTrue(soak.err().contains("--rounds repeats nn's measurements: use it with nn, not soak"), soak.err());
    }

    @Test
    void badSetValueIsBadInputNamingTheKey() {
        Run run = daair("info", "--set", "net.dim=abc");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("dim"), run.err());
        assertEquals(1, run.err().strip().lines().count(), "one line: " + run.err());
    }

    @Test
    void impossibleValueIsBadInputNamingKeyAndValue() {
        Run run = daair("info", "--set", "net.heads=[1,2,4,7]");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("heads"), run.err());
    }

    @Test
    void stacktraceOnRequest() {
        Run run = daair("info", "--stacktrace", "--set", "daair.net.dimm=16");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("\tat "), run.err());
    }
}
