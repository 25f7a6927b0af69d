package io.daair.jobs.restore;

import java.io.Serializable;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import org.apache.hadoop.fs.Path;

/**
 * Where the restored image of an input goes: the output root plus the input's path relative to the input
 * root, extension replaced. Paths are Hadoop path strings as {@link Path#toString()} gives them (not encoded
 * URIs): a name is taken literally, so {@code a%20b.png}, {@code hash#q?.png} and {@code x:y.png} each keep
 * their own name. No input path can make a target outside the output root: the relative path is normalised
 * ({@code .} dropped, {@code ..} resolved) and rejected if it is empty, absolute, climbs above the root or
 * lands in the manifest folder, and the resulting target is checked to lie under the output root.
 *
 * @param inputRoot the input folder, as a Hadoop path string
 * @param outputRoot the output folder, as a Hadoop path string
 * @param extension the output file extension without dot ({@code png})
 */
public record OutputPaths(String inputRoot, String outputRoot, String extension) implements Serializable {

    /** An input path that cannot be mapped safely under the output root. */
    public static final class UnsafePathException extends IllegalArgumentException {
        UnsafePathException(String message) {
            super(message);
        }
    }

    /** The target of the input file {@code file} (as the listing gives it). */
    public Path target(String file) {
        return under(outputRoot, relative(inputRoot, file), extension);
    }

    /** The target of {@code file} as a string, or null when it has none (an unsafe path). */
    public String targetOrNull(String file) {
        try {
            return target(file).toString();
        } catch (UnsafePathException e) {
            return null;
        }
    }

    /** {@code root/relative} with the extension replaced, rejecting a relative path that leaves {@code root}. */
    public static Path under(String root, String relative, String extension) {
        String normalised = normalise(relative);
        String top = normalised.split("/", 2)[0];
        if (top.equals(Manifest.PARQUET)) {
            throw new UnsafePathException("'" + relative + "' would be written into the manifest folder "
                    + Manifest.PARQUET + "/ of the output: rename that input folder");
        }
        return resolve(root, withExtension(normalised, extension));
    }

    /** The path of {@code file} relative to {@code root} ("/"-separated), compared on the paths. */
    static String relative(String root, String file) {
        String r = pathOf(root);
        String f = pathOf(file);
        String prefix = r.endsWith("/") ? r : r + "/";
        if (!f.startsWith(prefix)) {
            throw new UnsafePathException(file + " is not under the input folder " + root);
        }
        return f.substring(prefix.length());
    }
    /**
     * Normalises a relative path: drops empty and {@code .} segments, resolves {@code ..}; fails when the path
     * is absolute, empty, or would leave the root.
     */
    static String normalise(String relative) {
        if (relative.startsWith("/") || relative.startsWith("\\")) {
            throw new UnsafePathException("'" + relative + "' is absolute, not relative to the input folder");
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String s : relative.split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (segments.isEmpty()) {
                    throw new UnsafePathException("'" + relative + "' leads outside the output folder");
                }
                segments.removeLast();
            } else if (s.chars().anyMatch(c -> c < 0x20)) {
                throw new UnsafePathException("'" + relative + "' has a control character in its name");
            } else {
                segments.addLast(s);
            }
        }
        if (segments.isEmpty()) {
            throw new UnsafePathException("'" + relative + "' names no file");
        }
        return String.join("/", segments);
    }

    /** {@code a/b.jpg} becomes {@code a/b.png}; a name without extension gets one. */
    static String withExtension(String relative, String extension) {
        int slash = relative.lastIndexOf('/');
        int dot = relative.lastIndexOf('.');
        String base = dot > slash + 1 ? relative.substring(0, dot) : relative;
        return base + "." + extension.toLowerCase(Locale.ROOT);
    }

    /** {@code root/relative}, checked to lie under {@code root}; every character of {@code relative} is literal. */
    static Path resolve(String root, String relative) {
        URI r = new Path(root).toUri();
        String rootPath = pathOf(root);
        String prefix = rootPath.endsWith("/") ? rootPath : rootPath + "/";
        Path target = new Path(r.getScheme(), r.getAuthority(), prefix + relative);
        if (!target.toUri().getPath().startsWith(prefix)) {
            throw new UnsafePathException("'" + relative + "' would be written outside the output folder " + root);
        }
        return target;
    }

    /** The path part of a Hadoop path string ({@code /a/b c.png} of {@code file:/a/b c.png}), taken literally. */
    static String pathOf(String hadoopPath) {
        String path = new Path(hadoopPath).toUri().getPath();
        return path == null || path.isEmpty() ? "/" : path;
    }
}
