package io.daair.jobs.prepare;

import io.daair.data.patch.PatchRecord;
import io.daair.data.patch.PatchSchema;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Spark's side of {@link PatchSchema}: its columns as a Spark schema, a {@link PatchRecord} as a {@link Row}. */
public final class PatchRowCodec {

    /** Column metadata of the image columns: {@code encoding = PatchSchema.ENCODING}. */
    private static final Metadata ENCODING =
            new MetadataBuilder().putString("encoding", PatchSchema.ENCODING).build();

    /** {@link PatchSchema#COLUMNS} as a Spark schema. */
    public static final StructType SCHEMA = new StructType(
            PatchSchema.COLUMNS.stream().map(PatchRowCodec::field).toArray(StructField[]::new));

    private PatchRowCodec() {}

    private static StructField field(PatchSchema.Column c) {
        DataType type =
                switch (c.type()) {
                    case STRING -> DataTypes.StringType;
                    case INT -> DataTypes.IntegerType;
                    case LONG -> DataTypes.LongType;
                    case IMAGE -> DataTypes.BinaryType;
                };
        Metadata metadata = c.type() == PatchSchema.Type.IMAGE ? ENCODING : Metadata.empty();
        return DataTypes.createStructField(c.name(), type, c.nullable(), metadata);
    }

    /** The row for a record, fields in {@link #SCHEMA} order. */
    public static Row toRow(PatchRecord r) {
        return RowFactory.create(PatchSchema.values(r));
    }

    /** The record of a row read back by name ({@link PatchSchema#record}). */
    public static PatchRecord fromRow(Row row) {
        return PatchSchema.record(row::getAs);
    }
}
