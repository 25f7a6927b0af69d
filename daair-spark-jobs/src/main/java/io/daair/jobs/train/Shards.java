package io.daair.jobs.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;

import io.daair.jobs.cli.UserException;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import scala.Tuple2;

/**
 * The patch set cut into one shard per worker, stratified: within each degradation the patches
 * are shuffled (seeded) and dealt round-robin, so every shard holds every degradation in the
 * proportion of the whole set (the protocol's mixing), give or take one patch.
 */
final class Shards {
    private Shards() {}

    static JavaRDD<TrainingPatch> stratified(SparkSession spark, TrainSpec spec) {
        Dataset<Row> rows = PatchRows.read(spark, spec.patches(), spec.singleTask());
        // rank within its degradation, in a seeded order that does not depend on file splits
        Dataset<Row> ranked = rows.withColumn(
                "rank",
                row_number()
                        .over(Window.partitionBy(col(PatchRows.LABEL))
                                .orderBy(xxhash64(lit(spec.seed()), col(PatchRows.ID)), col(PatchRows.ID)))
                        .minus(lit(1)));
        int workers = spec.workers();
        // key = shard << 40 | rank << 3 | label: unique, so sorting within a shard gives one fixed
        // order, and a recomputed partition (lost executor) lists its patches as before.
        return ranked.javaRDD()
                .mapToPair(row -> {
                    long rank = row.<Number>getAs("rank").longValue();
                    long label = row.<Integer>getAs(PatchRows.LABEL);
                    long key = ((rank % workers) << 40) | ((rank / workers) << 3) | label;
                    return new Tuple2<>(key, PatchRows.toTrainingPatch(row));
                })
                .repartitionAndSortWithinPartitions(new ShardPartitioner(workers))
                .values();
    }

    /** Sends key {@code shard << 40 | ...} to partition {@code shard}. */
    static final class ShardPartitioner extends Partitioner {
        private final int shards;

        ShardPartitioner(int shards) {
            this.shards = shards;
        }

        @Override
        public int numPartitions() {
            return shards;
        }

        @Override
        public int getPartition(Object key) {
            return (int) ((Long) key >>> 40);
        }
    }

    /** The number of patches in each shard (partition), computed once. */
    static int[] sizes(JavaRDD<TrainingPatch> shards, int workers) {
        List<Tuple2<Integer, Integer>> counts = shards.mapPartitionsWithIndex(
                        (index, it) -> {
                            int n = 0;
                            for (; it.hasNext(); it.next()) {
                                n++;
                            }
                            return List.of(new Tuple2<>(index, n)).iterator();
                        },
                        true)
                .collect();
        int[] sizes = new int[workers];
        for (Tuple2<Integer, Integer> c : counts) {
            sizes[c._1()] = c._2();
        }
        for (int i = 0; i < workers; i++) {
            if (sizes[i] == 0) {
                throw UserException.badInput("shard " + i + " of " + workers + " got no patch: the patch set is"
                        + " smaller than the number of workers; lower daair.train.workers or prepare more patches");
            }
        }
        return sizes;
    }
}
