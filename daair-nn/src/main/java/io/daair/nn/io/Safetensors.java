package io.daair.nn.io;

import io.daair.nn.config.BadNetInputException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The safetensors file format (Hugging Face): an 8-byte little-endian header length, a JSON header
 * mapping each tensor name to {@code dtype}, {@code shape} and {@code data_offsets} (relative to
 * the data section) plus an optional {@code __metadata__} string map, then the raw little-endian
 * tensor bytes.
 *
 * <p>Reads F32 (and widens F16, BF16, narrows F64) into float arrays; writes F32. Both directions
 * stream: the reader consumes tensors in offset order without seeking, the writer emits the header
 * and then each tensor in name order. Format errors name the source and the offending key.
 */
public final class Safetensors {

    /** The safetensors reference implementation refuses headers above 100 MB; so do we. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Safetensors() {}

    /** Element types read by this class, with their size in bytes. */
    public enum DType {
        F32(4),
        F16(2),
        BF16(2),
        F64(8);

        final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }
    }

    /** A float tensor: its shape (row-major, as in the file) and its values. */
    public record Tensor(long[] shape, float[] data) {
        public Tensor {
            if (numel(shape) != data.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + numel(shape)
                        + " values but " + data.length + " were given");
            }
        }

        /** The number of elements of a shape (1 for a scalar). */
        public static long numel(long[] shape) {
            long n = 1;
            for (long d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
                }
                n = Math.multiplyExact(n, d);
            }
            return n;
        }
    }

    /**
     * Everything a safetensors file holds, tensors in file-offset order.
     *
     * @param source where it came from (a path or a description), used in error messages
     */
    public record Contents(String source, Map<String, String> metadata, Map<String, Tensor> tensors) {
        public Contents {
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        }

        /** The tensor called {@code name}; an error naming the key and the source if there is none. */
        public Tensor tensor(String name) {
            Tensor t = tensors.get(name);
            if (t == null) {
                throw new BadNetInputException("no tensor '" + name + "' in " + source + " (it has " + tensors.size()
                        + " tensors" + (tensors.isEmpty() ? ")" : ", e.g. '" + firstKey() + "')"));
            }
            return t;
        }

        private String firstKey() {
            return tensors.keySet().iterator().next();
        }
    }

    private record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

    /** Reads a whole safetensors file. */
    public static Contents read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads a safetensors stream to its data end (it does not close the stream).
     *
     * @param source the name to use in error messages, e.g. the file path
     */
    public static Contents read(InputStream stream, String source) throws IOException {
        InputStream in = new BufferedInputStream(stream, 1 << 16);
        byte[] lengthBytes = readFully(in, 8, source, "the 8-byte header length");
        long headerLength =
                ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
            throw new IOException("bad safetensors header length " + headerLength + " in " + source + " (expected 2.."
                    + MAX_HEADER_BYTES + " bytes): is this a safetensors file?");
        }
        byte[] headerBytes = readFully(in, headerLength, source, "the " + headerLength + "-byte JSON header");
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = parseHeader(headerBytes, source, metadata);
        entries.sort(Comparator.comparingLong(Entry::begin));

        Map<String, Tensor> tensors = new LinkedHashMap<>();
        long position = 0;
        for (Entry e : entries) {
            if (e.begin < position) {
                throw new IOException(
                        "tensor '" + e.name + "' in " + source + " overlaps the previous tensor (data_offsets ["
                                + e.begin + ", " + e.end + "], previous ends at " + position + ")");
            }
            skipFully(in, e.begin - position, source, e.name);
            byte[] raw = readFully(
                    in,
                    e.end - e.begin,
                    source,
                    "the data of tensor '" + e.name + "' (data_offsets [" + e.begin + ", " + e.end + "])");
            tensors.put(e.name, new Tensor(e.shape, decode(raw, e.dtype)));
            position = e.end;
        }
        return new Contents(source, metadata, tensors);
    }

    private static List<Entry> parseHeader(byte[] headerBytes, String source, Map<String, String> metadata)
            throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(new String(headerBytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException("safetensors header of " + source + " is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException("safetensors header of " + source + " is not a JSON object");
        }
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode node = field.getValue();
            if (METADATA_KEY.equals(name)) {
                readMetadata(node, source, metadata);
            } else {
                entries.add(parseEntry(name, node, source));
            }
        }
        return entries;
    }

    private static void readMetadata(JsonNode node, String source, Map<String, String> metadata) throws IOException {
        if (!node.isObject()) {
            throw new IOException(METADATA_KEY + " in " + source + " must be a JSON object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            if (!m.getValue().isTextual()) {
                throw new IOException(METADATA_KEY + " entry '" + m.getKey() + "' in " + source
                        + " must be a string, found " + m.getValue().getNodeType());
            }
            metadata.put(m.getKey(), m.getValue().asText());
        }
    }

    private static Entry parseEntry(String name, JsonNode node, String source) throws IOException {
        String where = "tensor '" + name + "' in " + source;
        JsonNode dtypeNode = node.get("dtype");
        JsonNode shapeNode = node.get("shape");
        JsonNode offsetsNode = node.get("data_offsets");
        if (dtypeNode == null
                || shapeNode == null
                || offsetsNode == null
                || !shapeNode.isArray()
                || !offsetsNode.isArray()
                || offsetsNode.size() != 2) {
            throw new IOException(where + " needs dtype, shape and data_offsets [begin, end], found " + node);
        }
        DType dtype;
        try {
            dtype = DType.valueOf(dtypeNode.asText());
        } catch (IllegalArgumentException e) {
            throw new IOException(where + " has dtype " + dtypeNode.asText() + "; supported: "
                    + Arrays.toString(DType.values()) + " (save the weights as float32)");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong(-1);
        }
        long begin = offsetsNode.get(0).asLong(-1);
        long end = offsetsNode.get(1).asLong(-1);
        long expectedBytes;
        try {
            expectedBytes = Math.multiplyExact(Tensor.numel(shape), dtype.bytes);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IOException(where + " has an invalid shape " + Arrays.toString(shape));
        }
        if (begin < 0 || end < begin || end - begin != expectedBytes || expectedBytes > Integer.MAX_VALUE) {
            throw new IOException(where + " has data_offsets [" + begin + ", " + end + "] out of range for " + dtype
                    + " shape " + Arrays.toString(shape) + " (" + expectedBytes + " bytes)");
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static float[] decode(byte[] raw, DType dtype) {
        ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[raw.length / dtype.bytes];
        switch (dtype) {
            case F32 -> buf.asFloatBuffer().get(out);
            case F64 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) buf.getDouble();
                }
            }
            case BF16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.intBitsToFloat((buf.getShort() & 0xffff) << 16);
                }
            }
            case F16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = halfToFloat(buf.getShort());
                }
            }
        }
        return out;
    }

    /** IEEE 754 binary16 to float, subnormals, infinities and NaN included. */
    static float halfToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h >>> 15) << 31;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f; // subnormal (or zero)
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /**
     * Writes tensors (F32, in name order) and metadata to {@code file} atomically: to a temporary
     * name in the same directory, then renamed.
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        // a sibling name (same file system, so the rename is atomic) with the default permissions
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-"
                + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime()));
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW)) {
                write(out, tensors, metadata);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes tensors (F32, in name order) and metadata to a stream (flushed, not closed). */
    public static void write(OutputStream stream, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        Map<String, Tensor> sorted = new TreeMap<>(tensors);
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA_KEY);
            new TreeMap<>(metadata).forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
            if (METADATA_KEY.equals(e.getKey())) {
                throw new IllegalArgumentException("a tensor cannot be called " + METADATA_KEY);
            }
            ObjectNode info = header.putObject(e.getKey());
            info.put("dtype", DType.F32.name());
            ArrayNode shape = info.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            long bytes = 4L * e.getValue().data().length;
            info.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8; // the data section starts 8-byte aligned
        byte[] headerBytes = Arrays.copyOf(json, padded);
        Arrays.fill(headerBytes, json.length, padded, (byte) ' ');

        OutputStream out = new BufferedOutputStream(stream, 1 << 16);
        out.write(ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(padded)
                .array());
        out.write(headerBytes);
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor t : sorted.values()) {
            for (float v : t.data()) {
                if (!chunk.hasRemaining()) {
                    out.write(chunk.array(), 0, chunk.position());
                    chunk.clear();
                }
                chunk.putFloat(v);
            }
        }
        out.write(chunk.array(), 0, chunk.position());
        out.flush();
    }

    /** {@code length} bytes, allocated as they arrive: a length claimed by a damaged header costs no memory. */
    private static byte[] readFully(InputStream in, long length, String source, String what) throws IOException {
        try {
            return BoundedInput.readExactly(in, length, what);
        } catch (EOFException e) {
            throw new IOException(source + " ends inside " + what + ": the file is truncated or not safetensors", e);
        }
    }

    private static void skipFully(InputStream in, long n, String source, String tensor) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException(source + " ends before the data of tensor '" + tensor + "'");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }
}
