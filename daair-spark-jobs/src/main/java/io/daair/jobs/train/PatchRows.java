package io.daair.jobs.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;

import io.daair.data.degrade.Degradation;
import io.daair.data.patch.PatchSchema;
import io.daair.jobs.cli.UserException;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads the Parquet patches of {@code daair prepare} (layout: {@link PatchSchema}) for training. */
final class PatchRows {
    static final String LABEL = PatchSchema.LABEL;
    /**
     * A patch's identity: its degradation, number and seed. Not its source URI: the seed already derives from
     * the photo's path within its dataset, so the same patches prepared from another store train alike.
     */
    static final String ID = "patch_id";

    private PatchRows() {}

    /** The patch rows, one degradation only unless {@code singleTask} is "all". */
    static Dataset<Row> read(SparkSession spark, String uri, String singleTask) {
        Dataset<Row> rows;
        try {
            rows = spark.read().parquet(uri);
        } catch (Exception e) {
            throw UserException.badInput(
                    "cannot read patches at " + uri + " (" + e.getMessage() + "): give the output folder of"
                            + " 'daair prepare' as daair.train.patches",
                    e);
        }
        try {
            PatchSchema.requireColumns(
                    uri,
                    List.of(rows.columns()),
                    List.of(
                            LABEL,
                            PatchSchema.CLEAN,
                            PatchSchema.DEGRADED,
                            PatchSchema.HEIGHT,
                            PatchSchema.WIDTH,
                            PatchSchema.PATCH_INDEX,
                            PatchSchema.SEED));
        } catch (IllegalArgumentException e) {
            throw UserException.badInput(e.getMessage(), e);
        }
        if (!singleTask.equals("all")) {
            rows = rows.filter(col(LABEL).equalTo(Degradation.fromId(singleTask).label()));
        }
        return rows.select(
                col(LABEL),
                col(PatchSchema.HEIGHT),
                col(PatchSchema.WIDTH),
                col(PatchSchema.CLEAN),
                col(PatchSchema.DEGRADED),
                concat_ws("#", col(LABEL), col(PatchSchema.PATCH_INDEX), col(PatchSchema.SEED))
                        .as(ID));
    }

    static TrainingPatch toTrainingPatch(Row row) {
        return new TrainingPatch(
                row.<Integer>getAs(LABEL),
                row.<Integer>getAs(PatchSchema.HEIGHT),
                row.<Integer>getAs(PatchSchema.WIDTH),
                row.getAs(PatchSchema.CLEAN),
                row.getAs(PatchSchema.DEGRADED));
    }
}
