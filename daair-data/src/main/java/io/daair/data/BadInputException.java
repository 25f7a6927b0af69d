package io.daair.data;

/**
 * A value, image or folder the user gave that cannot be used: the daair command exits 2 with this message,
 * which names what was wrong and what to do. Thrown for the user's input only; a broken invariant stays a
 * plain {@link IllegalArgumentException} (an internal error).
 */
public final class BadInputException extends IllegalArgumentException {

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
