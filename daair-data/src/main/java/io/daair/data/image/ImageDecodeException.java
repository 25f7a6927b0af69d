package io.daair.data.image;

import java.io.IOException;

/** An image file that could not be decoded: corrupt, truncated, empty or of an unsupported format. */
public final class ImageDecodeException extends IOException {

    private final String file;
    private final String reason;

    public ImageDecodeException(String file, String reason) {
        this(file, reason, null);
    }

    public ImageDecodeException(String file, String reason, Throwable cause) {
        super("cannot decode image " + file + ": " + reason, cause);
        this.file = file;
        this.reason = reason;
    }

    /** The file (path or URI) that failed. */
    public String file() {
        return file;
    }

    /** Why it failed, in words a user can act on. */
    public String reason() {
        return reason;
    }
}
