package io.daair.jobs.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import scala.Tuple2;

/**
 * Sums the workers' results over a fixed tree of shard indices: shards {@code 0..f-1}, {@code f..2f-1}, ...
 * are summed in index order on executors, then those sums likewise, up to the driver. Float addition is
 * not associative, and treeAggregate merges results in the order tasks finish, so a seeded run could end
 * with other bits each time; in shard order it cannot.
 */
final class ShardOrderSum {
    private ShardOrderSum() {}

    /** The sum of {@code byShard} (key: shard index) over a tree of {@code depth} levels, as treeAggregate's. */
    static WorkerResult of(JavaPairRDD<Integer, WorkerResult> byShard, int shards, int depth) {
        int fanIn = fanIn(shards, depth);
        JavaPairRDD<Integer, WorkerResult> level = byShard;
        int n = shards;
        for (int d = 1; d < depth && n > fanIn; d++) {
            n = (n + fanIn - 1) / fanIn;
            int f = fanIn;
            level = level.mapToPair(r -> new Tuple2<>(r._1() / f, r))
                    .groupByKey(n)
                    .mapValues(ShardOrderSum::sumInShardOrder);
        }
        return sumInShardOrder(level.collect());
    }

    /** How many results one node of the tree sums: all of them at depth 1, else about {@code shards^(1/depth)}. */
    static int fanIn(int shards, int depth) {
        return depth <= 1 ? shards : Math.max(2, (int) Math.ceil(Math.pow(shards, 1.0 / depth)));
    }

    /** The sum of (index, result) pairs in index order, whatever order they come in. */
    static WorkerResult sumInShardOrder(Iterable<Tuple2<Integer, WorkerResult>> results) {
        List<Tuple2<Integer, WorkerResult>> sorted = new ArrayList<>();
        results.forEach(sorted::add);
        sorted.sort(Comparator.comparing(Tuple2::_1));
        WorkerResult sum = WorkerResult.empty();
        for (Tuple2<Integer, WorkerResult> r : sorted) {
            sum = sum.add(r._2());
        }
        return sum;
    }
}
