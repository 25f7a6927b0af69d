package io.daair.jobs.restore;

import io.daair.jobs.spark.ProgressTimer;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints a progress line every few seconds while the restoration runs (counters are summed on the driver as
 * Spark tasks finish), and the last one when closed: images done of all, failed, megapixels per second.
 */
final class Progress implements AutoCloseable {

    private static final long INTERVAL_SECONDS = 10;

    private final ImageTask.Counters counters;
    private final long total;
    private final PrintWriter console;
    private final long startNanos = System.nanoTime();
    private final ProgressTimer timer;

    Progress(ImageTask.Counters counters, long total, PrintWriter console) {
        this.counters = counters;
        this.total = total;
        this.console = console;
        this.timer = new ProgressTimer("daair-restore-progress", INTERVAL_SECONDS, this::print);
    }

    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    void print() {
        console.println(line(
                counters.ok().value(),
                counters.skipped().value(),
                counters.failed().value(),
                total,
                counters.pixels().value(),
                seconds()));
        console.flush();
    }

    static String line(long ok, long skipped, long failed, long total, long pixels, double seconds) {
        return String.format(
                Locale.ROOT,
                "restore: %,d/%,d images done (%,d restored, %,d skipped, %,d failed), %.3f MP/s",
                ok + skipped + failed,
                total,
                ok,
                skipped,
                failed,
                seconds > 0 ? pixels / 1e6 / seconds : 0.0);
    }

    @Override
    public void close() {
        timer.close();
    }
}
