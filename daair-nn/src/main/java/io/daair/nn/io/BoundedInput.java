package io.daair.nn.io;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads from files a user gave without trusting the sizes they claim: memory grows with the bytes that
 * actually arrive, never past a stated limit (a zip entry can inflate to gigabytes from a few kilobytes).
 */
public final class BoundedInput {

    private BoundedInput() {}

    /**
     * All remaining bytes of {@code in}; more than {@code max} is an error naming {@code what}.
     *
     * @param what the bytes' name in the message, e.g. "samediff.fb of checkpoint x.ckpt"
     */
    public static byte[] readAtMost(InputStream in, long max, String what) throws IOException {
        byte[] data = in.readNBytes((int) Math.min(max, Integer.MAX_VALUE - 8));
        if (in.read() >= 0) {
            throw new IOException(what + " is larger than " + max + " bytes, more than it can hold:"
                    + " the file is damaged or not what it claims to be");
        }
        return data;
    }

    /**
     * Exactly {@code length} bytes (allocated as they arrive, so a false length costs no memory); fewer is an
     * {@link java.io.EOFException}.
     */
    public static byte[] readExactly(InputStream in, long length, String what) throws IOException {
        if (length < 0 || length > Integer.MAX_VALUE - 8) {
            throw new IOException(what + " claims " + length + " bytes, more than one array can hold");
        }
        byte[] data = in.readNBytes((int) length);
        if (data.length != length) {
            throw new java.io.EOFException(what + " has " + data.length + " of its " + length + " bytes");
        }
        return data;
    }
}
