package io.daair.jobs.testing;

import io.daair.jobs.cli.DaairCommand;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the {@code daair} command in this JVM, as a user would type it, and keeps what it printed. */
public final class Cli {

    /** The exit code and the text on standard output and standard error. */
    public record Run(int exitCode, String out, String err) {
        /** Both streams, for assertion messages. */
        public String printed() {
            return out + "\n" + err;
        }
    }

    private Cli() {}

    public static Run daair(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DaairCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
