package io.daair.jobs.restore;

import io.daair.data.image.ImageStore;
import io.daair.jobs.cli.UserException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.GlobFilter;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathFilter;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The inputs of a restore run, listed on the driver with the file system's own recursive listing (Spark's
 * file sources hide names starting with {@code _} or {@code .}, and empty files): every file under the input
 * folder whose name has an image extension (or matches the glob), as a row {@code path} (a Hadoop path
 * string), {@code length}, {@code skip}. A file with a hidden name or in a hidden folder (starting with
 * {@code .}, such as macOS's {@code ._IMG.jpg} or {@code .thumbnails/}) is listed with the reason it is
 * skipped, so that it too gets its manifest row.
 */
final class InputListing {

    /** The columns of the listing. */
    static final StructType SCHEMA = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("length", DataTypes.LongType, false)
            .add("skip", DataTypes.StringType, true);

    private InputListing() {}

    /** The selected files under {@code root}, sorted by path; {@code glob} empty: the image extensions. */
    static List<Row> list(FileSystem fs, Path root, String glob) throws IOException {
        PathFilter selected = selector(glob);
        List<Row> rows = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(root, true);
        while (files.hasNext()) {
            LocatedFileStatus file = files.next();
            if (file.isFile() && selected.accept(file.getPath())) {
                String path = file.getPath().toString();
                rows.add(RowFactory.create(
                        path, file.getLen(), skipReason(OutputPaths.relative(root.toString(), path))));
            }
        }
        rows.sort((a, b) -> a.getString(0).compareTo(b.getString(0)));
        return rows;
    }

    /** Why a file at {@code relative} (to the input folder) is not restored, or null. */
    static String skipReason(String relative) {
        for (String segment : relative.split("/")) {
            if (segment.startsWith(".")) {
                return "hidden: '" + segment + "' starts with '.' (rename it to restore it)";
            }
        }
        return null;
    }

    private static PathFilter selector(String glob) {
        if (glob.isEmpty()) {
            return path -> hasImageExtension(path.getName());
        }
        try {
            return new GlobFilter(glob);
        } catch (IOException e) {
            throw UserException.badInput("--glob '" + glob + "' is no valid glob (" + e.getMessage() + ")", e);
        }
    }

    private static boolean hasImageExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot >= 0
                && ImageStore.IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
