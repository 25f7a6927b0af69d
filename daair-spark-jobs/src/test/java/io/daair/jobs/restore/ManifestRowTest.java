package io.daair.jobs.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Manifest rows: the columns users read, and what each status leaves empty. */
class ManifestRowTest {

    @Test
    void columnsInOrder() {
        assertEquals(
                "path,output,width,height,bytes,degradation,confidence,millis,status,reason",
                String.join(",", Arrays.asList(ManifestRow.SCHEMA.fieldNames())));
    }

    @Test
    void rowsRoundTripThroughSparkRows() {
        ManifestRow ok = ManifestRow.ok("file:/in/a.jpg", "file:/out/a.png", 40, 30, 1234, "rain", 0.75, 12);
        ManifestRow failed = ManifestRow.failed("file:/in/b.png", "file:/out/b.png", 7, 3, "corrupt PNG");
        ManifestRow skipped = ManifestRow.skipped("file:/in/c.png", "file:/out/c.png", 99, 1, "output exists");
        for (ManifestRow r : new ManifestRow[] {ok, failed, skipped}) {
            Row row = r.toRow();
            assertEquals(ManifestRow.SCHEMA.size(), row.size());
            assertEquals(r, ManifestRow.fromRow(row));
        }
        assertEquals("failed", failed.status());
        assertNull(failed.width());
        assertNull(failed.degradation());
        assertEquals("corrupt PNG", failed.reason());
        assertEquals("output exists", skipped.reason());
        assertNull(ok.reason());
        assertEquals(0.75, ok.confidence());
    }

    @Test
    void noRoutingGivesNoConfidence() {
        assertNull(ManifestRow.ok("a", "b", 8, 8, 1, "none", Double.NaN, 0).confidence());
    }
}
