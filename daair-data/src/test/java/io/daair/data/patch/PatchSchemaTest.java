package io.daair.data.patch;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.daair.data.degrade.Degradation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PatchSchemaTest {

    private static PatchRecord lowLightPatch() {
        byte[] clean = new byte[3 * 2 * 4];
        byte[] degraded = new byte[clean.length];
        for (int i = 0; i < clean.length; i++) {
            clean[i] = (byte) i;
            degraded[i] = (byte) (255 - i);
        }
        return new PatchRecord(
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
    }

    @Test
    void columnsAreTheDocumentedOnesThenThePartition() {
        assertEquals(
                List.of(
                        "dataset",
                        "source_path",
                        "degraded_path",
                        "label",
                        "params",
                        "clean",
                        "degraded",
                        "height",
                        "width",
                        "seed",
                        "patch_index",
                        "x",
                        "y",
                        "transform",
                        "degradation"),
                PatchSchema.names());
        assertEquals(
                List.of("degraded_path"),
                PatchSchema.COLUMNS.stream()
                        .filter(PatchSchema.Column::nullable)
                        .map(PatchSchema.Column::name)
                        .toList());
    }

    @Test
    void valuesAreInColumnOrderAndReadBackByName() {
        PatchRecord r = lowLightPatch();
        Object[] values = PatchSchema.values(r);
        assertEquals(PatchSchema.COLUMNS.size(), values.length);
        assertEquals(4, values[3], "label");
        assertEquals("lowlight", values[values.length - 1], "partition value");
        Map<String, Object> byName = new HashMap<>();
        for (int i = 0; i < values.length; i++) {
            byName.put(PatchSchema.COLUMNS.get(i).name(), values[i]);
        }
        byName.remove(PatchSchema.PARTITION); // a single partition folder read alone has no partition column
        assertEquals(r, PatchSchema.record(byName::get));
    }

    @Test
    void aFolderWithoutANeededColumnIsNamed() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> PatchSchema.requireColumns("hdfs:///x", List.of("label", "clean"), List.of("clean", "seed")));
        assertEquals("hdfs:///x is not a patch set of 'daair prepare': column 'seed' is missing", e.getMessage());
        assertDoesNotThrow(() -> PatchSchema.requireColumns("hdfs:///x", PatchSchema.names(), PatchSchema.names()));
    }
}
