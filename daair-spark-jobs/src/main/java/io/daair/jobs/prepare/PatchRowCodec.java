package io.daair.jobs.prepare;

import io.daair.data.degrade.Degradation;
import io.daair.data.patch.PatchRecord;
import io.daair.data.patch.PatchSchema;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** {@link PatchRecord} to and from a Spark {@link Row} of the {@link PatchSchema} layout. */
public final class PatchRowCodec {

    /** Column metadata of {@code clean} and {@code degraded}: {@code encoding = PatchSchema.ENCODING}. */
    public static final Metadata ENCODING =
            new MetadataBuilder().putString("encoding", PatchSchema.ENCODING).build();

    /** The columns of {@link PatchSchema#COLUMNS}, then the partition column {@code degradation}. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("dataset", DataTypes.StringType, false),
        DataTypes.createStructField("source_path", DataTypes.StringType, false),
        DataTypes.createStructField("degraded_path", DataTypes.StringType, true),
        DataTypes.createStructField("label", DataTypes.IntegerType, false),
        DataTypes.createStructField("params", DataTypes.StringType, false),
        DataTypes.createStructField("clean", DataTypes.BinaryType, false, ENCODING),
        DataTypes.createStructField("degraded", DataTypes.BinaryType, false, ENCODING),
        DataTypes.createStructField("height", DataTypes.IntegerType, false),
        DataTypes.createStructField("width", DataTypes.IntegerType, false),
        DataTypes.createStructField("seed", DataTypes.LongType, false),
        DataTypes.createStructField("patch_index", DataTypes.IntegerType, false),
        DataTypes.createStructField("x", DataTypes.IntegerType, false),
        DataTypes.createStructField("y", DataTypes.IntegerType, false),
        DataTypes.createStructField("transform", DataTypes.IntegerType, false),
        DataTypes.createStructField(PatchSchema.PARTITION, DataTypes.StringType, false)
    });

    private PatchRowCodec() {}

    /** The row for a record, fields in {@link #SCHEMA} order. */
    public static Row toRow(PatchRecord r) {
        return RowFactory.create(
                r.dataset(),
                r.sourcePath(),
                r.degradedPath(),
                r.label(),
                r.params(),
                r.clean(),
                r.degraded(),
                r.height(),
                r.width(),
                r.seed(),
                r.patchIndex(),
                r.x(),
                r.y(),
                r.transform(),
                r.degradation().id());
    }

    /**
     * The record of a row read back by name (any column order; the partition column may be absent when a single
     * partition folder is read, then the label decides).
     */
    public static PatchRecord fromRow(Row row) {
        Degradation d = Degradation.fromLabel(row.<Integer>getAs("label"));
        return new PatchRecord(
                row.getAs("dataset"),
                row.getAs("source_path"),
                row.getAs("degraded_path"),
                d,
                row.getAs("params"),
                row.getAs("clean"),
                row.getAs("degraded"),
                row.<Integer>getAs("height"),
                row.<Integer>getAs("width"),
                row.<Long>getAs("seed"),
                row.<Integer>getAs("patch_index"),
                row.<Integer>getAs("x"),
                row.<Integer>getAs("y"),
                row.<Integer>getAs("transform"));
    }
}
