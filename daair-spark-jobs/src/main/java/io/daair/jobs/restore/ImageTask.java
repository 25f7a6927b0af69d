package io.daair.jobs.restore;

import io.daair.data.image.ImageCodec;
import io.daair.data.image.ImageStore;
import io.daair.data.image.RgbImage;
import io.daair.jobs.cli.UserException;
import io.daair.jobs.model.ModelBundle;
import io.daair.jobs.model.ThreadModels;
import io.daair.nn.infer.RestoreResult;
import io.daair.nn.infer.Restorer;
import java.io.IOException;
import java.io.Serializable;
import java.util.Iterator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SerializableWritable;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

/**
 * The executor side of {@link RestoreJob}: restores the images of one partition, one at a time, and returns
 * one {@link ManifestRow} per input. A failure of one image (unreadable, corrupt, unsafe path, an output that
 * would land in the input, write error) becomes a {@code failed} row and the partition goes on.
 *
 * @param paths where each output goes
 * @param guard keeps outputs out of the input folder
 * @param overwrite restore even when the output exists
 * @param sixteenBit write 16-bit PNG
 * @param tileSize the restorer's tile size
 * @param tileOverlap the restorer's tile overlap
 * @param maxPixels the largest input decoded (checked from the header)
 * @param model the broadcast model
 * @param hadoop the broadcast Hadoop configuration
 * @param counters progress counters
 */
record ImageTask(
        OutputPaths paths,
        InputGuard guard,
        boolean overwrite,
        boolean sixteenBit,
        int tileSize,
        int tileOverlap,
        long maxPixels,
        Broadcast<ModelBundle> model,
        Broadcast<SerializableWritable<Configuration>> hadoop,
        Counters counters)
        implements Serializable {

    /** Progress counters, summed on the driver as tasks finish. */
    record Counters(LongAccumulator ok, LongAccumulator skipped, LongAccumulator failed, LongAccumulator pixels)
            implements Serializable {}

    /**
     * Restores the listed images lazily, one row out per row in; rows are {@code path}, {@code length},
     * {@code skip} (see {@link InputListing}), {@code target}, {@code sharing} (inputs with the same target, see
     * {@link RestoreJob#markSharedTargets}).
     */
    Iterator<Row> apply(Iterator<Row> listing) {
        ImageStore store = new ImageStore(hadoop.value().value());
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return listing.hasNext();
            }

            @Override
            public Row next() {
                Row r = listing.next();
                return restore(store, r.getString(0), r.getLong(1), r.getString(2), r.getLong(4))
                        .toRow();
            }
        };
    }

    ManifestRow restore(ImageStore store, String file, long bytes, String skip, long sharing) {
        long start = System.nanoTime();
        if (skip != null) {
            counters.skipped().add(1);
            return ManifestRow.skipped(file, null, bytes, millisSince(start), skip);
        }
        String output = null;
        try {
            Path target = paths.target(file);
            output = target.toString();
            if (sharing > 1) {
                throw UserException.badInput(sharing + " inputs map to the output " + output
                        + " (same name, different extensions): rename them or restore them in separate runs");
            }
            guard.checkTarget(target);
            FileSystem fs = store.directFileSystem(target);
            if (!overwrite && fs.exists(target)) {
                counters.skipped().add(1);
                return ManifestRow.skipped(
                        file, output, bytes, millisSince(start), "output exists (--overwrite restores it again)");
            }
            RgbImage image = ImageCodec.decode(store.readBytes(new Path(file)), file, maxPixels);
            Restorer restorer = ThreadModels.restorer(model.value(), new Restorer.Options(tileSize, tileOverlap));
            RestoreResult result = restorer.restore(image.chw(), image.height(), image.width());
            RgbImage restored = new RgbImage(image.width(), image.height(), result.chw());
            if (sixteenBit) {
                store.writePng16(restored, target);
            } else {
                store.writePng(restored, target);
            }
            counters.ok().add(1);
            counters.pixels().add((long) image.width() * image.height());
            return ManifestRow.ok(
                    file,
                    output,
                    image.width(),
                    image.height(),
                    bytes,
                    ModelBundle.expertName(result.degradation()),
                    result.confidence(),
                    millisSince(start));
        } catch (IOException | RuntimeException e) {
            counters.failed().add(1);
            return ManifestRow.failed(file, output, bytes, millisSince(start), message(e));
        }
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
