package io.daair.jobs.cli;

import java.io.PrintStream;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT): one line saying so, then exit code 130 (128 + SIGINT, the shell's convention). The exit
 * runs the JVM's shutdown hooks: Spark stops its context, and io.daair.data.fs.InFlightPaths deletes the
 * temporary names of outputs not yet renamed into place. Finished outputs stay.
 */
final class Interruption {
    private static volatile boolean received;

    private Interruption() {}

    /** Handles SIGINT from now on (a no-op where the signal is ignored, e.g. a background job without job control). */
    static void install(PrintStream err) {
        Signal.handle(new Signal("INT"), signal -> {
            received = true;
            err.println(
                    "daair: interrupted; removing the temporary files of unfinished outputs (finished ones are kept)");
            err.flush();
            System.exit(ExitCode.INTERRUPTED.code);
        });
    }

    /** Whether the command was interrupted: its failure from then on is the interruption, not an error. */
    static boolean received() {
        return received;
    }
}
