package io.daair.jobs.cli;

/** The exit codes of the {@code daair} command, decided in one place ({@link Failures}). */
public enum ExitCode {
    OK(0),
    INTERNAL_ERROR(1),
    BAD_INPUT(2),
    BAD_STATE(3),
    /** The job ran to its end, but some items failed (each listed in its output: manifest or report). */
    SOME_FAILED(4),
    /** Ctrl-C: 128 + SIGINT, as shells report it. */
    INTERRUPTED(130);

    public final int code;

    ExitCode(int code) {
        this.code = code;
    }
}
