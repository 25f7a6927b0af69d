package io.daair.jobs.cli;

import com.typesafe.config.ConfigException;
import io.daair.data.BadInputException;
import io.daair.data.datasets.DatasetException;
import io.daair.data.image.ImageDecodeException;
import io.daair.nn.config.BadNetInputException;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Maps every failure of a command to an exit code and one message: 0 ok, 2 bad input or
 * configuration, 3 bad state, 4 done but some items failed, 1 internal error (130, Ctrl-C: {@link Interruption}).
 * The stack trace is printed only with
 * {@code --stacktrace}.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler {
    /** bin/daair's memory options when DAAIR_JAVA_OPTS is not set (no cap on the whole process). */
    static final String DEFAULT_JAVA_OPTS =
            "-Xms768m -Xmx2g -XX:+AlwaysPreTouch -Dorg.bytedeco.javacpp.maxbytes=4g -Dorg.bytedeco.javacpp.maxphysicalbytes=0";

    /** javacpp's message when ND4J's off-heap memory passes maxbytes or maxphysicalbytes. */
    private static final String JAVACPP_LIMIT = "Physical memory usage is too high";

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
        if (Interruption.received()) {
            return ExitCode.INTERRUPTED.code; // the job failed because of Ctrl-C, which was already reported
        }
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
        if (outOfMemory(e)) {
            return ExitCode.BAD_STATE;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UserException u) {
                return u.exitCode();
            }
            if (badInput(t)) {
                return ExitCode.BAD_INPUT;
            }
        }
        return ExitCode.INTERNAL_ERROR; // no guessing from standard types: a bug's IllegalArgumentException is one
    }

    /** The typed bad-input failures of the modules below the jobs, which cannot see {@link UserException}. */
    private static boolean badInput(Throwable t) {
        return t instanceof ConfigException
                || t instanceof BadInputException
                || t instanceof BadNetInputException
                || t instanceof DatasetException
                || t instanceof ImageDecodeException;
    }

    static String message(Throwable e, ExitCode code) {
        if (outOfMemory(e)) {
            return "out of memory (" + firstLine(e) + "): give the JVM more memory, locally with DAAIR_JAVA_OPTS"
                    + " (bin/daair's default: " + DEFAULT_JAVA_OPTS + "), on a cluster with spark.executor.memory,"
                    + " spark.executor.memoryOverhead and the javacpp limits in spark.executor.extraJavaOptions;"
                    + " or lower the batch size, the tile size or the preset";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UserException || badInput(t)) {
                return t.getMessage();
            }
        }
        if (code != ExitCode.INTERNAL_ERROR && e.getMessage() != null) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** A JVM or ND4J (javacpp) out-of-memory error anywhere in the cause chain. */
    static boolean outOfMemory(Throwable e) {
        return memoryFailure(e) != null;
    }

    /**
     * The innermost out-of-memory error of the chain, or null. Spark reports a failed task's error in the
     * message of its SparkException, so a message that names one counts too.
     */
    private static Throwable memoryFailure(Throwable e) {
        Throwable found = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (t instanceof OutOfMemoryError
                    || (m != null && (m.contains("OutOfMemoryError") || m.contains(JAVACPP_LIMIT)))) {
                found = t;
            }
        }
        return found;
    }

    /** The first line of the out-of-memory error's text, from "java.lang.OutOfMemoryError" on if named. */
    private static String firstLine(Throwable e) {
        Throwable t = memoryFailure(e);
        String text = t instanceof OutOfMemoryError ? t.toString() : t.getMessage();
        int start = Math.max(0, text.indexOf("java.lang.OutOfMemoryError"));
        int end = text.indexOf('\n', start);
        return (end < 0 ? text.substring(start) : text.substring(start, end)).trim();
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
