package io.daair.jobs.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;

import io.daair.data.degrade.Degradation;
import io.daair.data.patch.PatchSchema;
import io.daair.jobs.cli.UserException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads the Parquet patches of {@code daair prepare} (layout: {@link PatchSchema}) for training. */
final class PatchRows {
    static final String LABEL = "label";
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
        for (String column : new String[] {LABEL, "clean", "degraded", "height", "width", "patch_index", "seed"}) {
            if (!java.util.Arrays.asList(rows.columns()).contains(column)) {
                throw UserException.badInput(
                        uri + " is not a patch set of 'daair prepare': column '" + column + "' is missing");
            }
        }
        if (!singleTask.equals("all")) {
            rows = rows.filter(col(LABEL).equalTo(Degradation.fromId(singleTask).label()));
        }
        return rows.select(
                col(LABEL),
                col("height"),
                col("width"),
                col("clean"),
                col("degraded"),
                concat_ws("#", col(LABEL), col("patch_index"), col("seed")).as(ID));
    }

    static TrainingPatch toTrainingPatch(Row row) {
        return new TrainingPatch(
                row.<Integer>getAs(LABEL),
                row.<Integer>getAs("height"),
                row.<Integer>getAs("width"),
                row.getAs("clean"),
                row.getAs("degraded"));
    }
}
