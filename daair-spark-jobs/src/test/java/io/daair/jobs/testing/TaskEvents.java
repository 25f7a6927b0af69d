package io.daair.jobs.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * What the driver saw of tasks: how many started, and why any failed. For fault tests on a
 * {@link StandaloneCluster}: wait until tasks run, kill an executor, then check that the loss was seen and retried.
 *
 * <pre>{@code
 * TaskEvents events = TaskEvents.attach(spark.sparkContext());
 * CompletableFuture<Long> job = CompletableFuture.supplyAsync(() -> ...an action...);
 * events.awaitStarted(2, Duration.ofMinutes(2));     // both executors are inside a task
 * cluster.killOneExecutor();
 * long result = job.get(2, TimeUnit.MINUTES);
 * assertEquals(List.of("ExecutorLostFailure"), events.failureKinds());
 * events.detach();
 * }</pre>
 */
public final class TaskEvents extends SparkListener {
    private final SparkContext sc;
    private final AtomicInteger started = new AtomicInteger();
    private final List<String> failures = new CopyOnWriteArrayList<>();

    private TaskEvents(SparkContext sc) {
        this.sc = sc;
    }

    /** Starts listening to the tasks of {@code sc}. */
    public static TaskEvents attach(SparkContext sc) {
        TaskEvents events = new TaskEvents(sc);
        sc.addSparkListener(events);
        return events;
    }

    /** Stops listening. */
    public void detach() {
        sc.removeSparkListener(this);
    }

    /** Waits until at least {@code n} tasks (attempts) have started since {@link #attach}. */
    public void awaitStarted(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (started.get() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "only " + started.get() + " of " + n + " tasks started within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /** Task attempts started so far. */
    public int started() {
        return started.get();
    }

    /**
     * One entry per failed task attempt: {@code ExecutorLostFailure} for a task lost with its executor, else the
     * failure reason's class name.
     */
    public List<String> failureKinds() {
        return List.copyOf(failures);
    }

    @Override
    public void onTaskStart(SparkListenerTaskStart taskStart) {
        started.incrementAndGet();
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        if (!taskEnd.taskInfo().successful()) {
            failures.add(
                    taskEnd.reason() instanceof ExecutorLostFailure
                            ? "ExecutorLostFailure"
                            : taskEnd.reason().getClass().getSimpleName());
        }
    }
}
