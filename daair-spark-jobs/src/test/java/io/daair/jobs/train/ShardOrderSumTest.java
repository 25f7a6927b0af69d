package io.daair.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/** Summing worker results in shard order gives the same bits whatever order the tasks finished in. */
class ShardOrderSumTest {

    /** Float addition is not associative: (1e8 + 1) - 1e8 = 0 but (1e8 - 1e8) + 1 = 1. */
    static final float[][] PARAMS = {{1e8f}, {1f}, {-1e8f}, {1f}};

    static List<Tuple2<Integer, WorkerResult>> results() {
        List<Tuple2<Integer, WorkerResult>> results = new ArrayList<>();
        for (int shard = 0; shard < PARAMS.length; shard++) {
            float[] p = PARAMS[shard].clone();
            results.add(new Tuple2<>(shard, WorkerResult.of(p, null, null, p.clone(), 0.1 * shard, 0, 0, 1, 1, 1)));
        }
        return results;
    }

    static List<Tuple2<Integer, WorkerResult>> arrivalOrder(int... shards) {
        List<Tuple2<Integer, WorkerResult>> all = results();
        List<Tuple2<Integer, WorkerResult>> order = new ArrayList<>();
        for (int s : shards) {
            order.add(all.get(s));
        }
        return order;
    }

    @Test
    void theSumDoesNotDependOnArrivalOrder() {
        WorkerResult inOrder = ShardOrderSum.sumInShardOrder(arrivalOrder(0, 1, 2, 3));
        WorkerResult shuffled = ShardOrderSum.sumInShardOrder(arrivalOrder(2, 0, 3, 1));
        assertArrayEquals(inOrder.params, shuffled.params);
        assertArrayEquals(inOrder.controllers, shuffled.controllers);
        assertEquals(inOrder.lossSum, shuffled.lossSum, 0.0);
        assertEquals(4, shuffled.workers());
        // ((1e8 + 1) - 1e8) + 1 in float: the 1 is lost against 1e8
        assertArrayEquals(new float[] {1f}, inOrder.params);
    }

    @Test
    void foldingInArrivalOrderWouldNotBeReproducible() {
        // what treeAggregate did: merge in the order tasks finish
        WorkerResult a = WorkerResult.empty();
        for (Tuple2<Integer, WorkerResult> r : arrivalOrder(0, 1, 2, 3)) {
            a = a.add(r._2());
        }
        WorkerResult b = WorkerResult.empty();
        for (Tuple2<Integer, WorkerResult> r : arrivalOrder(0, 2, 1, 3)) {
            b = b.add(r._2());
        }
        assertFalse(a.params[0] == b.params[0], "float sums depend on the order");
    }

    @Test
    void theTreeFansInLikeTreeAggregate() {
        assertEquals(4, ShardOrderSum.fanIn(4, 1), "depth 1: all on the driver");
        assertEquals(2, ShardOrderSum.fanIn(4, 2));
        assertEquals(4, ShardOrderSum.fanIn(10, 2));
        assertEquals(2, ShardOrderSum.fanIn(1, 2));
    }
}
