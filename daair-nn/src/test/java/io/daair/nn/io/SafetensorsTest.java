package io.daair.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.nn.io.Safetensors.Contents;
import io.daair.nn.io.Safetensors.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

    /** A file assembled by hand from the format description: header length, JSON, raw bytes. */
    private static byte[] handMade(String header, byte[] data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length).put(json).put(data);
        return buf.array();
    }

    private static byte[] floatsLe(float... values) {
        ByteBuffer buf = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buf.putFloat(v);
        }
        return buf.array();
    }

    private static Contents readBytes(byte[] bytes) throws IOException {
        return Safetensors.read(new ByteArrayInputStream(bytes), "mem.safetensors");
    }

    @Test
    void readsAHandMadeFileWithTensorsOutOfOffsetOrder() throws IOException {
        String header = "{\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"__metadata__\":{\"daair.config\":\"{}\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[8,16]}}";
        Contents c = readBytes(handMade(header, floatsLe(1f, -2f, 0.5f, 3f)));
        assertEquals(Map.of("daair.config", "{}"), c.metadata());
        assertArrayEquals(new long[] {2}, c.tensor("b").shape());
        assertArrayEquals(new float[] {1f, -2f}, c.tensor("b").data());
        assertArrayEquals(new long[] {1, 2}, c.tensor("a").shape());
        assertArrayEquals(new float[] {0.5f, 3f}, c.tensor("a").data());
    }

    @Test
    void writesExactlyTheBytesOfTheFormat() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", new Tensor(new long[] {2, 1}, new float[] {1.5f, -1f}));
        Safetensors.write(out, tensors, Map.of("k", "v"));
        String json =
                "{\"__metadata__\":{\"k\":\"v\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0,8]}}";
        String padded = json + " ".repeat((8 - json.length() % 8) % 8);
        assertArrayEquals(handMade(padded, floatsLe(1.5f, -1f)), out.toByteArray());
    }

    @Test
    void roundTripsThroughAFileWithScalarsAndEmptyTensors(@TempDir Path dir) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("z.scalar", new Tensor(new long[] {}, new float[] {7f}));
        tensors.put("a.empty", new Tensor(new long[] {0, 3}, new float[] {}));
        tensors.put("m", new Tensor(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, Float.NaN}));
        Path file = dir.resolve("t.safetensors");
        Safetensors.write(file, tensors, Map.of());
        Contents c = Safetensors.read(file);
        assertEquals(tensors.keySet(), c.tensors().keySet());
        for (String name : tensors.keySet()) {
            assertArrayEquals(tensors.get(name).shape(), c.tensor(name).shape(), name);
            assertArrayEquals(tensors.get(name).data(), c.tensor(name).data(), name);
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void decodesHalfAndBfloat16AndDouble() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(8 + 4 + 8).order(ByteOrder.LITTLE_ENDIAN);
        // F16: 1.0, -2.0, 65504 (largest), 2^-24 (smallest subnormal)
        data.putShort((short) 0x3C00)
                .putShort((short) 0xC000)
                .putShort((short) 0x7BFF)
                .putShort((short) 0x0001);
        data.putShort((short) 0x3F80).putShort((short) 0xC040); // BF16: 1.0, -3.0
        data.putDouble(0.25);
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[8,12]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[12,20]}}";
        Contents c = readBytes(handMade(header, data.array()));
        assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f}, c.tensor("h").data());
        assertArrayEquals(new float[] {1f, -3f}, c.tensor("b").data());
        assertArrayEquals(new float[] {0.25f}, c.tensor("d").data());
    }

    @Test
    void readsTheFixtureWrittenByThePythonReference() throws IOException {
        Contents c = Safetensors.read(Path.of("src/main/resources/io/daair/nn/reference/input-2x3x32x32.safetensors"));
        Tensor input = c.tensor("input");
        assertArrayEquals(new long[] {2, 3, 32, 32}, input.shape());
        for (float v : input.data()) {
            assertTrue(v >= 0f && v <= 1f, "input in [0, 1]");
        }
    }

    @Test
    void rejectsABadHeaderLength() {
        byte[] bytes = handMade("{}", new byte[0]);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        IOException e = assertThrows(IOException.class, () -> readBytes(bytes));
        assertTrue(
                e.getMessage().contains("bad safetensors header length 1099511627776 in mem.safetensors"),
                e.getMessage());
    }

    @Test
    void rejectsAnUnknownDtypeNamingTheTensor() {
        byte[] bytes = handMade("{\"w\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1]);
        IOException e = assertThrows(IOException.class, () -> readBytes(bytes));
        assertTrue(e.getMessage().contains("tensor 'w' in mem.safetensors has dtype I8"), e.getMessage());
    }

    @Test
    void rejectsOffsetsThatDoNotMatchTheShape() {
        byte[] bytes = handMade("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]);
        IOException e = assertThrows(IOException.class, () -> readBytes(bytes));
        assertTrue(
                e.getMessage().contains("tensor 'w' in mem.safetensors has data_offsets [0, 8] out of range"),
                e.getMessage());
    }

    @Test
    void rejectsOffsetsPastTheEndOfTheFile() {
        byte[] bytes = handMade("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[8]);
        IOException e = assertThrows(IOException.class, () -> readBytes(bytes));
        assertTrue(e.getMessage().contains("mem.safetensors ends inside the data of tensor 'w'"), e.getMessage());
    }

    @Test
    void sizesClaimedByADamagedHeaderCostNoMemory() {
        // 2 GB of tensor data and a 100 MB header claimed by files of a few dozen bytes
        byte[] hugeTensor = handMade(
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[536870000],\"data_offsets\":[0,2147480000]}}", new byte[8]);
        byte[] hugeHeader = handMade("{}", new byte[0]);
        ByteBuffer.wrap(hugeHeader).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Safetensors.MAX_HEADER_BYTES);
        for (byte[] bytes : List.of(hugeTensor, hugeHeader)) {
            long before = allocatedBytes();
            IOException e = assertThrows(IOException.class, () -> readBytes(bytes));
            long allocated = allocatedBytes() - before;
            assertTrue(e.getMessage().contains("mem.safetensors ends inside"), e.getMessage());
            assertTrue(allocated < 16_000_000, allocated + " bytes allocated to read " + bytes.length);
        }
    }

    /** Heap bytes this thread has allocated so far. */
    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void rejectsOverlappingTensors() {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        IOException e = assertThrows(IOException.class, () -> readBytes(handMade(header, new byte[8])));
        assertTrue(e.getMessage().contains("overlaps"), e.getMessage());
    }

    @Test
    void aMissingKeyNamesTheKeyAndTheSource() throws IOException {
        Contents c =
                readBytes(handMade("{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}", new byte[4]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.tensor("embed.weight"));
        assertTrue(e.getMessage().contains("no tensor 'embed.weight' in mem.safetensors"), e.getMessage());
    }
}
