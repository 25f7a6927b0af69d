package io.daair.jobs.train;

import io.daair.jobs.cli.UserException;
import java.util.SplittableRandom;

/**
 * Which patches of its shard a worker trains on. A worker walks its shard in a fresh seeded
 * permutation every epoch; sample {@code k} of its stream is {@code perm(seed, shard, k / n)[k % n]}.
 * The choice depends only on (seed, shard, step), so a retried task, a resumed run and an
 * undisturbed run all see the same minibatches.
 */
public final class ShardSampler {
    private final long seed;
    private final int shard;
    private final int shardSize;
    private final int batchSize;

    public ShardSampler(long seed, int shard, int shardSize, int batchSize) {
        if (shardSize < 1) {
            throw UserException.badInput("shard " + shard + " is empty: there are fewer patches than workers");
        }
        this.seed = seed;
        this.shard = shard;
        this.shardSize = shardSize;
        this.batchSize = batchSize;
    }

    /** The shard-local indices of the minibatch of global step {@code step}. */
    public int[] batch(long step) {
        int[] indices = new int[batchSize];
        long first = step * batchSize;
        int[] perm = null;
        long permEpoch = -1;
        for (int i = 0; i < batchSize; i++) {
            long k = first + i;
            long epoch = k / shardSize;
            if (epoch != permEpoch) {
                perm = permutation(epoch);
                permEpoch = epoch;
            }
            indices[i] = perm[(int) (k % shardSize)];
        }
        return indices;
    }

    private int[] permutation(long epoch) {
        int[] perm = new int[shardSize];
        for (int i = 0; i < shardSize; i++) {
            perm[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + shard * 1_000_003L + epoch);
        for (int i = shardSize - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return perm;
    }
}
