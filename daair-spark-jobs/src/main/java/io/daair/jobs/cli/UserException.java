package io.daair.jobs.cli;

/**
 * A failure the user can act on: bad input or configuration ({@link ExitCode#BAD_INPUT}), a bad
 * state such as a missing checkpoint ({@link ExitCode#BAD_STATE}), or a run in which some items
 * failed ({@link ExitCode#SOME_FAILED}). Its message is shown as it is,
 * without a stack trace, so it must say what was wrong and what to do.
 */
public final class UserException extends RuntimeException {
    private final ExitCode exitCode;

    private UserException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public static UserException badInput(String message) {
        return new UserException(ExitCode.BAD_INPUT, message, null);
    }

    public static UserException badInput(String message, Throwable cause) {
        return new UserException(ExitCode.BAD_INPUT, message, cause);
    }

    public static UserException badState(String message) {
        return new UserException(ExitCode.BAD_STATE, message, null);
    }

    public static UserException badState(String message, Throwable cause) {
        return new UserException(ExitCode.BAD_STATE, message, cause);
    }

    /** The job ran to its end but some items failed; the message says how many and where they are listed. */
    public static UserException someFailed(String message) {
        return new UserException(ExitCode.SOME_FAILED, message, null);
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
