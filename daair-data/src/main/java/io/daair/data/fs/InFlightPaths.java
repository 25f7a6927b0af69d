package io.daair.data.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ShutdownHookManager;

/**
 * The temporary files and folders this JVM is writing before renaming them into place ("in flight"). When
 * the JVM shuts down with some still registered (Ctrl-C, SIGTERM), they are deleted, so an interrupted job
 * leaves no temporary names behind. Only registered paths are deleted: those the job itself created.
 *
 * <p>Usage: {@code InFlightPaths.add(fs, tmp)} before creating {@code tmp}, {@code InFlightPaths.remove(tmp)}
 * once it is renamed or deleted. The deletion runs in Hadoop's shutdown hook manager after Spark's hook (which
 * stops the SparkContext and with it the tasks that write) and before Hadoop closes its file systems.
 */
public final class InFlightPaths {
    /** Spark's hook runs at FileSystem.SHUTDOWN_HOOK_PRIORITY + 30, the file systems close at + 0. */
    static final int SHUTDOWN_PRIORITY = FileSystem.SHUTDOWN_HOOK_PRIORITY + 20;

    /** A task still winding down may recreate a deleted folder: look again this often, this many times. */
    private static final long SETTLE_MILLIS = 100;

    private static final int SETTLE_ROUNDS = 20;

    private static final InFlightPaths JVM = new InFlightPaths();

    static {
        try {
            ShutdownHookManager.get().addShutdownHook(JVM::removeAll, SHUTDOWN_PRIORITY);
        } catch (IllegalStateException alreadyShuttingDown) {
            // nothing to register for: add() refuses new paths once removeAll ran or the JVM is going down
        }
    }

    /** How one registered path is checked and deleted. */
    interface Temporary {
        boolean exists() throws IOException;

        void delete() throws IOException;
    }

    private final Map<Object, Temporary> paths = new LinkedHashMap<>();
    private boolean closed;

    InFlightPaths() {}

    /** Registers {@code path} of {@code fs} (a file or a folder) as a temporary about to be written. */
    public static void add(FileSystem fs, Path path) {
        JVM.register(path, hadoopTemporary(fs, path));
    }

    /** Registers a local file or folder as a temporary about to be written. */
    public static void add(java.nio.file.Path path) {
        JVM.register(path, localTemporary(path));
    }

    /** Forgets {@code path} (a Hadoop or a local path) once it was renamed into place or deleted. */
    public static void remove(Object path) {
        JVM.unregister(path);
    }

    /**
     * Registers a temporary.
     *
     * @throws IllegalStateException once the JVM shuts down: nothing new is written then
     */
    synchronized void register(Object key, Temporary temporary) {
        if (closed) {
            throw new IllegalStateException("shutting down: not writing " + key);
        }
        paths.put(key, temporary);
    }

    synchronized void unregister(Object key) {
        paths.remove(key);
    }

    /** Deletes every registered temporary and refuses new ones; returns how many existed. */
    int removeAll() {
        List<Map.Entry<Object, Temporary>> left;
        synchronized (this) {
            closed = true;
            left = paths.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue()))
                    .toList();
            paths.clear();
        }
        int existed = 0;
        for (int round = 0; round < SETTLE_ROUNDS; round++) {
            int found = deleteExisting(left);
            existed = Math.max(existed, found);
            if (found == 0) {
                break;
            }
            try {
                Thread.sleep(SETTLE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return existed;
    }

    static Temporary hadoopTemporary(FileSystem fs, Path path) {
        return new Temporary() {
            @Override
            public boolean exists() throws IOException {
                return fs.exists(path);
            }

            @Override
            public void delete() throws IOException {
                fs.delete(path, true);
            }
        };
    }

    static Temporary localTemporary(java.nio.file.Path path) {
        return new Temporary() {
            @Override
            public boolean exists() {
                return Files.exists(path);
            }

            @Override
            public void delete() throws IOException {
                try (Stream<java.nio.file.Path> tree = Files.walk(path)) {
                    for (java.nio.file.Path p :
                            tree.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        };
    }

    private static int deleteExisting(List<Map.Entry<Object, Temporary>> temporaries) {
        int found = 0;
        for (Map.Entry<Object, Temporary> t : temporaries) {
            try {
                if (t.getValue().exists()) {
                    found++;
                    t.getValue().delete();
                }
            } catch (IOException | RuntimeException e) {
                System.err.println("daair: could not remove the temporary " + t.getKey() + ": " + e.getMessage());
            }
        }
        return found;
    }
}
