package io.daair.jobs.model;

import io.daair.nn.infer.NetModel;
import io.daair.nn.infer.Restorer;

/**
 * One {@link Restorer} per executor task thread, built from a broadcast {@link ModelBundle} the first time
 * the thread needs it and reused by every later task on that thread (SameDiff is not thread-safe, and
 * building the graph costs far more than restoring a small image). A thread keeps only the last model.
 */
public final class ThreadModels {

    private record Cached(ModelBundle bundle, Restorer restorer) {}

    private static final ThreadLocal<Cached> CACHE = new ThreadLocal<>();

    private ThreadModels() {}

    /**
     * The thread's restorer for {@code bundle} (a broadcast value: the same instance for every task of an
     * executor while the broadcast lives), built if the thread has none for that instance and options yet.
     */
    public static Restorer restorer(ModelBundle bundle, Restorer.Options options) {
        Cached cached = CACHE.get();
        if (cached == null
                || cached.bundle() != bundle
                || !cached.restorer().options().equals(options)) {
            cached = new Cached(bundle, new Restorer(new NetModel(bundle.net()), options));
            CACHE.set(cached);
        }
        return cached.restorer();
    }
}
