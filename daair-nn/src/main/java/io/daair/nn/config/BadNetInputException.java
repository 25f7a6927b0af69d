package io.daair.nn.config;

/**
 * A network setting or model file the user gave that cannot be used (unknown preset, impossible dimensions,
 * weights of another configuration): the daair command exits 2 with this message, which names what was wrong
 * and what to do. A broken invariant stays a plain {@link IllegalArgumentException} (an internal error).
 */
public final class BadNetInputException extends IllegalArgumentException {

    public BadNetInputException(String message) {
        super(message);
    }

    public BadNetInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
