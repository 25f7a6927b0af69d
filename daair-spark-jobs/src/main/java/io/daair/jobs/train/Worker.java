package io.daair.jobs.train;

import io.daair.nn.config.NetConfig;
import io.daair.nn.config.OptimConfig;
import io.daair.nn.train.LocalTrainer;
import io.daair.nn.train.Minibatch;
import io.daair.nn.train.StepResult;
import io.daair.nn.train.TrainState;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import scala.Tuple2;

/**
 * One worker's part of a round, run inside a Spark task on one shard: load the averaged state into
 * this thread's network replica, run {@code localSteps} steps on minibatches drawn by
 * {@link ShardSampler}, and return the resulting parameters and figures, keyed by the shard index. Deterministic in its
 * inputs, so a retried task returns the same result.
 */
final class Worker {
    /** SameDiff is not thread-safe: one replica per task thread, rebuilt when the setup changes. */
    private static final ThreadLocal<Replica> REPLICA = new ThreadLocal<>();

    private Worker() {}

    static Iterator<Tuple2<Integer, WorkerResult>> run(RoundInput in, int shard, Iterator<TrainingPatch> shardRows) {
        long firstStep = in.state().iteration();
        ShardSampler sampler = new ShardSampler(in.seed(), shard, in.shardSizes()[shard], in.batchSize());
        int[][] batches = new int[in.localSteps()][];
        Map<Integer, TrainingPatch> picked = new HashMap<>();
        for (int s = 0; s < batches.length; s++) {
            batches[s] = sampler.batch(firstStep + s);
            for (int index : batches[s]) {
                picked.put(index, null);
            }
        }
        for (int index = 0; shardRows.hasNext(); index++) {
            TrainingPatch patch = shardRows.next();
            if (picked.containsKey(index)) {
                picked.put(index, patch);
            }
        }

        AssignedGpu.bindCurrentTask();
        LocalTrainer trainer = replica(in.net(), in.optim(), in.seed());
        trainer.setState(in.state());
        long start = System.nanoTime();
        double loss = 0;
        double auxLoss = 0;
        double routerHits = 0;
        long samples = 0;
        for (int[] batch : batches) {
            StepResult r = trainer.step(minibatch(batch, picked));
            loss += r.loss();
            auxLoss += r.auxLoss();
            routerHits += r.routerAccuracy() * r.samples();
            samples += r.samples();
        }
        double computeSeconds = (System.nanoTime() - start) / 1e9;
        TrainState after = trainer.state();
        return List.of(new Tuple2<>(
                        shard,
                        WorkerResult.of(
                                after.params(),
                                in.averageUpdaterState() ? after.adamM() : null,
                                in.averageUpdaterState() ? after.adamV() : null,
                                after.controllers(),
                                loss,
                                auxLoss,
                                routerHits,
                                samples,
                                batches.length,
                                computeSeconds)))
                .iterator();
    }

    static Minibatch minibatch(int[] batch, Map<Integer, TrainingPatch> patches) {
        TrainingPatch first = patches.get(batch[0]);
        int h = first.height();
        int w = first.width();
        float[] degraded = new float[batch.length * 3 * h * w];
        float[] clean = new float[degraded.length];
        int[] labels = new int[batch.length];
        for (int i = 0; i < batch.length; i++) {
            TrainingPatch p = patches.get(batch[i]);
            if (p.height() != h || p.width() != w) {
                throw new IllegalStateException("patches of different sizes in one shard: " + h + "x" + w + " and "
                        + p.height() + "x" + p.width() + "; prepare all patches with one crop size");
            }
            p.writeInto(degraded, clean, i);
            labels[i] = p.label();
        }
        return new Minibatch(degraded, clean, labels, batch.length, h, w);
    }

    private static LocalTrainer replica(NetConfig net, OptimConfig optim, long seed) {
        Replica current = REPLICA.get();
        if (current == null || !current.matches(net, optim, seed)) {
            if (current != null) {
                current.trainer().close();
            }
            current = new Replica(net, optim, seed, new LocalTrainer(net, optim, seed));
            REPLICA.set(current);
        }
        return current.trainer();
    }

    private record Replica(NetConfig net, OptimConfig optim, long seed, LocalTrainer trainer) {
        boolean matches(NetConfig n, OptimConfig o, long s) {
            return net.equals(n) && Objects.equals(optim, o) && seed == s;
        }
    }
}
