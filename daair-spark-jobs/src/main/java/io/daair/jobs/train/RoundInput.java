package io.daair.jobs.train;

import io.daair.nn.config.NetConfig;
import io.daair.nn.config.OptimConfig;
import io.daair.nn.train.TrainState;
import java.io.Serializable;

/**
 * What the driver broadcasts at the start of a round: the network, the optimiser (its learning
 * rate follows the global step in {@code state}), the averaged state, and how many local steps of
 * which batch size each worker runs.
 */
record RoundInput(
        NetConfig net,
        OptimConfig optim,
        TrainState state,
        int localSteps,
        int batchSize,
        long seed,
        int[] shardSizes,
        boolean averageUpdaterState)
        implements Serializable {}
