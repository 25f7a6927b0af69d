package io.daair.jobs.cli;

import static io.daair.jobs.testing.Cli.daair;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.jobs.testing.Cli.Run;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Settings that must agree (the mix, the network's degradations, the single task) are checked together by
 * {@code daair train} before any Spark work: exit 2 with one line naming both keys. The patches and run
 * folders do not exist, so reaching Spark would fail differently.
 */
class SettingsAgreementTest {

    private static Run train(String... settings) {
        List<String> args = new ArrayList<>(List.of("train", "--patches", "/no/patches", "--run", "/no/run"));
        for (String setting : settings) {
            args.add("--set");
            args.add(setting);
        }
        return daair(args.toArray(String[]::new));
    }

    private static void assertMismatchNaming(Run run, String key1, String key2) {
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains(key1) && run.err().contains(key2), run.err());
        assertEquals(1, run.err().strip().lines().count(), "one line: " + run.err());
    }

    @Test
    void aSingleTaskOutsideTheNetworksDegradations() {
        assertMismatchNaming(
                train("net.degradations=3", "train.single-task=lowlight"),
                "daair.train.single-task",
                "daair.net.degradations");
    }

    @Test
    void aMixOfMoreDegradationsThanTheNetworkHas() {
        assertMismatchNaming(
                train("net.degradations=3", "data.mix.degradations=5"),
                "daair.data.mix.degradations",
                "daair.net.degradations");
    }

    @Test
    void aSingleTaskTheMixDoesNotHold() {
        assertMismatchNaming(
                train("data.mix.degradations=rain", "train.single-task=noise"),
                "daair.train.single-task",
                "daair.data.mix.degradations");
    }
}
