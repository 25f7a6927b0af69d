package io.daair.jobs.cli;

import com.typesafe.config.ConfigException;
import io.daair.data.datasets.DatasetException;
import io.daair.data.image.ImageDecodeException;
import java.io.FileNotFoundException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Maps every failure of a command to an exit code and one message: 0 ok, 2 bad input or
 * configuration, 3 bad state, 1 internal error. The stack trace is printed only with
 * {@code --stacktrace}.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        ExitCode code = classify(e);
        err.println("daair: " + message(e, code));
        if (stacktraceRequested(parseResult)) {
            e.printStackTrace(err);
        } else if (code == ExitCode.INTERNAL_ERROR) {
            err.println("(internal error: rerun with --stacktrace and report it)");
        }
        err.flush();
        return code.code;
    }

    static ExitCode classify(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UserException u) {
                return u.exitCode();
            }
            if (t instanceof ConfigException
                    || t instanceof IllegalArgumentException
                    || t instanceof DatasetException
                    || t instanceof ImageDecodeException) {
                return ExitCode.BAD_INPUT;
            }
            if (t instanceof FileNotFoundException || t instanceof NoSuchFileException) {
                return ExitCode.BAD_STATE;
            }
        }
        return ExitCode.INTERNAL_ERROR;
    }

    private static String message(Throwable e, ExitCode code) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UserException || t instanceof ConfigException || t instanceof DatasetException) {
                return t.getMessage();
            }
        }
        if (code != ExitCode.INTERNAL_ERROR && e.getMessage() != null) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static boolean stacktraceRequested(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--stacktrace")) {
                return true;
            }
        }
        return false;
    }
}
