package io.daair.jobs.cli;

import java.io.PrintStream;

/**
 * Standard output without SameDiff's "Added differentiated op ..." lines: ND4J M2.1 prints one
 * with {@code System.out.println} for every op of every gradient graph it builds (hundreds per
 * training replica), which would bury the progress a user follows. Everything else passes.
 */
final class QuietStdout extends PrintStream {
    private static final String NOISE = "Added differentiated op ";

    private QuietStdout(PrintStream out) {
        super(out, true);
    }

    static void install() {
        if (!(System.out instanceof QuietStdout)) {
            System.setOut(new QuietStdout(System.out));
        }
    }

    @Override
    public void println(String line) {
        if (line == null || !line.startsWith(NOISE)) {
            super.println(line);
        }
    }
}
