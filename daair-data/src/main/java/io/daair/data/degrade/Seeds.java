package io.daair.data.degrade;

import java.nio.charset.StandardCharsets;

/**
 * Seed derivation, so that every image gets its own reproducible random stream whatever the order or machine
 * that processes it.
 *
 * <p>{@code forKey(base, key) = mix64(base * 0x9E3779B97F4A7C15 + fnv1a64(utf8(key)))}, where {@code mix64} is
 * the SplitMix64 finaliser (Steele, Lea and Flood 2014) and the key is typically the image's path relative to its
 * dataset root plus a repeat/patch suffix. The streams themselves are {@link java.util.SplittableRandom} seeded
 * with that value (its algorithm is specified in its Javadoc and stable across JDKs).
 */
public final class Seeds {

    private Seeds() {}

    /** A seed for {@code key} (an image path, possibly with a suffix) under a base seed. */
    public static long forKey(long base, String key) {
        return mix64(base * 0x9E3779B97F4A7C15L + fnv1a64(key));
    }

    /** A seed derived from a parent seed and an index (e.g. the patch number within an image). */
    public static long child(long parent, long index) {
        return mix64(parent + 0x9E3779B97F4A7C15L * (index + 1));
    }

    /** 64-bit FNV-1a of the UTF-8 bytes of {@code s}. */
    public static long fnv1a64(String s) {
        long h = 0xCBF29CE484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001B3L;
        }
        return h;
    }

    /** SplitMix64's finaliser. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
