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
    void rowRoundTripKeepsEveryField() {
        byte[] clean = new byte[3 * 2 * 4];
        byte[] degraded = new byte[3 * 2 * 4];
        for (int i = 0; i < clean.length; i++) {
            clean[i] = (byte) i;
            degraded[i] = (byte) (255 - i);
        }
        PatchRecord r = new PatchRecord(
                "lol",
                "hdfs:///lol/high/1.png",
                "hdfs:///lol/low/1.png",
                Degradation.LOW_LIGHT,
                "{\"kind\":\"lowlight\"}",
                clean,
                degraded,
                2,
                4,
                -5L,
                3,
                16,
                32,
                6);
        Row row = PatchRowCodec.toRow(r);
        assertEquals("lowlight", row.getString(row.length() - 1));
        assertEquals(4, row.getInt(3));
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
