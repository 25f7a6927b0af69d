package io.daair.jobs.spark;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a job's progress printer on a driver thread every few seconds while the job runs, until closed.
 * The figures it prints come from Spark accumulators, which grow as tasks finish.
 */
public final class ProgressTimer implements AutoCloseable {

    private final ScheduledExecutorService timer;

    /** Starts printing: {@code print} runs every {@code seconds} on a daemon thread named {@code name}. */
    public ProgressTimer(String name, long seconds, Runnable print) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(print, seconds, seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
