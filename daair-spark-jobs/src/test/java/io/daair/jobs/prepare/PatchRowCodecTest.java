package io.daair.jobs.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.daair.data.degrade.Degradation;
import io.daair.data.patch.PatchRecord;
import io.daair.data.patch.PatchSchema;
import java.util.Arrays;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.junit.jupiter.api.Test;

class PatchRowCodecTest {

    @Test
    void schemaIsTheDocumentedColumnsThenThePartition() {
        assertEquals(PatchSchema.names(), Arrays.asList(PatchRowCodec.SCHEMA.fieldNames()));
        assertEquals(true, PatchRowCodec.SCHEMA.apply(PatchSchema.DEGRADED_PATH).nullable());
        assertEquals(false, PatchRowCodec.SCHEMA.apply(PatchSchema.SOURCE_PATH).nullable());
        assertEquals(
                PatchSchema.ENCODING,
                PatchRowCodec.SCHEMA.apply("degraded").metadata().getString("encoding"));
    }

    @Test
    void aSyntheticPatchRoundTripsThroughASparkRow() {
        PatchRecord r = new PatchRecord(
                "bsd400",
                "s3a://b/bsd400/7.png",
                null,
                Degradation.RAIN,
                "{}",
                new byte[] {1, 2, 3},
                new byte[] {4, 5, 6},
                1,
                1,
                11L,
                0,
                5,
                9,
                2);
        Row row = PatchRowCodec.toRow(r);
        assertEquals("rain", row.getString(row.length() - 1));
        assertEquals(1, row.getInt(3));
        Row named = new GenericRowWithSchema(Arrays.copyOf(rowValues(row), row.length()), PatchRowCodec.SCHEMA);
        assertEquals(r, PatchRowCodec.fromRow(named));
    }

    private static Object[] rowValues(Row row) {
        Object[] v = new Object[row.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = row.get(i);
        }
        return v;
    }
}
