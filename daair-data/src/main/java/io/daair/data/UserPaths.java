package io.daair.data;

import org.apache.hadoop.fs.Path;

/** Hadoop paths from the user's folders and URIs: a malformed one is bad input naming where it was given. */
public final class UserPaths {

    private UserPaths() {}

    /** {@code new Path(uri)}, or a {@link BadInputException} naming {@code where} (an option or key). */
    public static Path parse(String where, String uri) {
        try {
            return new Path(uri);
        } catch (IllegalArgumentException e) { // Hadoop's only failure here: a malformed URI
            throw new BadInputException(
                    where + " " + uri + " is not a valid path or URI (" + e.getMessage()
                            + "): give a folder such as /data/in or a URI such as hdfs://namenode:8020/data/in",
                    e);
        }
    }
}
