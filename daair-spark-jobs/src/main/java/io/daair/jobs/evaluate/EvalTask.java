package io.daair.jobs.evaluate;

import io.daair.data.degrade.Degraders;
import io.daair.data.degrade.Seeds;
import io.daair.data.image.ImageDecodeException;
import io.daair.data.image.ImageStore;
import io.daair.data.image.RgbImage;
import io.daair.data.metrics.Psnr;
import io.daair.data.metrics.Ssim;
import io.daair.jobs.cli.UserException;
import io.daair.jobs.model.ModelBundle;
import io.daair.jobs.model.ThreadModels;
import io.daair.jobs.report.FailedImage;
import io.daair.jobs.report.Gallery;
import io.daair.jobs.report.ImageResult;
import io.daair.jobs.report.Triptych;
import io.daair.jobs.restore.OutputPaths;
import io.daair.nn.infer.RestoreResult;
import io.daair.nn.infer.Restorer;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SerializableWritable;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * The executor side of {@link EvaluateJob}: for one image, the clean and degraded images (read, or degraded
 * with the protocol's seeded generator), the restoration with the thread's cached network, and PSNR/SSIM of
 * the input and of the output against the clean image. The output is clipped to [0, 1] and rounded to 8 bits
 * before measuring, exactly as the PNG the job saves (so the figures can be recomputed from the saved files).
 *
 * @param model the broadcast model
 * @param hadoop the broadcast Hadoop configuration
 * @param tileSize the restorer's tile size
 * @param tileOverlap the restorer's tile overlap
 * @param seed base seed of the synthetic degradations
 * @param maxPixels largest image decoded, checked from its header
 * @param imagesRoot where to save restored images ({@code <root>/<benchmark>/<id>.png}), or null
 * @param imagesDone images measured so far (for the progress line)
 * @param pixelsDone their pixels
 * @param failures the images that could not be evaluated (unreadable, too small, a pair of different sizes)
 */
record EvalTask(
        Broadcast<ModelBundle> model,
        Broadcast<SerializableWritable<Configuration>> hadoop,
        int tileSize,
        int tileOverlap,
        long seed,
        long maxPixels,
        String imagesRoot,
        LongAccumulator imagesDone,
        LongAccumulator pixelsDone,
        CollectionAccumulator<FailedImage> failures)
        implements Serializable {

    /** The three images of one evaluated item, and the restoration's routing and time. */
    record Restored(RgbImage clean, RgbImage degraded, RgbImage output, RestoreResult result, long millis) {}

    /** The results of {@code items}; an image that cannot be evaluated is added to {@code failures} and skipped. */
    Iterator<ImageResult> evaluate(Iterator<EvalItem> items) {
        ImageStore store = new ImageStore(hadoop.value().value(), maxPixels);
        return new Iterator<>() {
            private ImageResult next;

            @Override
            public boolean hasNext() {
                while (next == null && items.hasNext()) {
                    EvalItem item = items.next();
                    try {
                        next = measure(store, item);
                    } catch (UncheckedIOException | IllegalArgumentException e) {
                        failures.add(failure(item, e));
                        imagesDone.add(1);
                    }
                }
                return next != null;
            }

            @Override
            public ImageResult next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ImageResult result = next;
                next = null;
                return result;
            }
        };
    }

    /** The report row of {@code item} failing with {@code e}: the file at fault and the reason in one line. */
    static FailedImage failure(EvalItem item, RuntimeException e) {
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        String file = item.isPatch() ? item.toString() : item.isSynthetic() ? item.cleanPath() : item.degradedPath();
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (cause instanceof ImageDecodeException d) {
            file = d.file();
            reason = d.reason();
        }
        return new FailedImage(item.benchmark(), item.imageId(), file, reason.replaceAll("\\s*\\R\\s*", " "));
    }

    /** The gallery thumbnails of a chosen image (restored again: only a few images are chosen). */
    Triptych triptych(EvalItem item, Gallery.Pick pick) {
        Restored r = restore(new ImageStore(hadoop.value().value(), maxPixels), item);
        return Triptych.of(pick, r.degraded(), r.output(), r.clean());
    }

    ImageResult measure(ImageStore store, EvalItem item) {
        Restored r = restore(store, item);
        RgbImage clean = r.clean();
        ImageResult result = new ImageResult(
                item.benchmark(),
                item.imageId(),
                item.degradation().id(),
                ModelBundle.expertName(r.result().degradation()),
                r.result().confidence(),
                Psnr.compute(clean.chw(), r.degraded().chw()),
                Ssim.compute(clean.chw(), r.degraded().chw(), clean.width(), clean.height()),
                Psnr.compute(clean.chw(), r.output().chw()),
                Ssim.compute(clean.chw(), r.output().chw(), clean.width(), clean.height()),
                r.millis());
        if (imagesRoot != null) {
            try {
                store.writePng(
                        r.output(), OutputPaths.under(imagesRoot, item.benchmark() + "/" + item.imageId(), "png"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save the restored image of " + item.imageId(), e);
            }
        }
        imagesDone.add(1);
        pixelsDone.add((long) clean.width() * clean.height());
        return result;
    }

    Restored restore(ImageStore store, EvalItem item) {
        RgbImage[] pair = images(store, item);
        RgbImage clean = pair[0];
        RgbImage degraded = pair[1];
        if (clean.width() != degraded.width() || clean.height() != degraded.height()) {
            throw UserException.badInput(item.benchmark() + "/" + item.imageId() + ": degraded image is "
                    + degraded.width() + "x" + degraded.height() + " but the clean one is " + clean.width() + "x"
                    + clean.height());
        }
        Restorer restorer = ThreadModels.restorer(model.value(), new Restorer.Options(tileSize, tileOverlap));
        long start = System.nanoTime();
        RestoreResult result = restorer.restore(degraded.chw(), degraded.height(), degraded.width());
        long millis = (System.nanoTime() - start) / 1_000_000;
        RgbImage output = new RgbImage(degraded.width(), degraded.height(), result.chw()).quantised8();
        return new Restored(clean, degraded, output, result, millis);
    }

    /** {clean, degraded} of an item. */
    private RgbImage[] images(ImageStore store, EvalItem item) {
        if (item.isPatch()) {
            return new RgbImage[] {
                RgbImage.fromUint8(item.width(), item.height(), item.cleanPixels()),
                RgbImage.fromUint8(item.width(), item.height(), item.degradedPixels())
            };
        }
        try {
            RgbImage clean = store.read(item.cleanPath());
            RgbImage degraded = item.isSynthetic()
                    ? Degraders.synthetic(item.degradation(), item.sigma())
                            .apply(clean, Seeds.forKey(seed, item.seedKey()))
                            .image()
                    : store.read(item.degradedPath());
            return new RgbImage[] {clean, degraded};
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + item + ": " + e.getMessage(), e);
        }
    }
}
