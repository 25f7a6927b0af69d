package io.daair.nn.train;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.nn.NetStats;
import io.daair.nn.config.NetConfig;
import io.daair.nn.config.OptimConfig;
import io.daair.nn.io.NetConfigJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Damaged and hostile checkpoints fail as an {@link IOException} saying what is wrong, without taking the memory
 * their claims would need (each case built from a real tiny checkpoint).
 */
class DamagedCheckpointTest {

    private static final NetConfig TINY = NetConfig.preset("tiny", 3);
    private static Map<String, byte[]> entries;

    @BeforeAll
    static void writeOne() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LocalTrainer t = new LocalTrainer(TINY, new OptimConfig(1e-3, 0.9, 0.999, 1e-8, 0, 100), 3)) {
            t.writeCheckpoint(out);
        }
        entries = unzip(out.toByteArray());
    }

    @Test
    void aGraphInflatingPastWhatItsNetworkCanHoldIsCutOff() throws IOException {
        Map<String, byte[]> bomb = new LinkedHashMap<>(entries);
        bomb.put("samediff.fb", new byte[400 << 20]); // 400 MB of zeros, 400 KB compressed
        byte[] zip = zip(bomb);
        bomb = null;
        long before = allocatedBytes();
        IOException e = assertThrows(IOException.class, () -> read(zip));
        long allocated = allocatedBytes() - before;
        long limit = Checkpoint.maxGraphBytes(NetStats.of(TINY).withControllers());
        assertTrue(e.getMessage().contains("samediff.fb of the checkpoint is larger than " + limit), e.getMessage());
        assertTrue(allocated < 3 * limit, allocated + " bytes allocated, the limit is " + limit);
    }

    @Test
    void aNetworkTooBigForItsGraphFailsBeforeBeingBuilt() {
        NetConfig huge = new NetConfig(
                48000, TINY.encBlocks(), TINY.decBlocks(), 1, TINY.heads(), 2.66, 4, 7, 3, true, true, 0.1, 0.999);
        Map<String, byte[]> claim = new LinkedHashMap<>(entries);
        claim.put("net.json", NetConfigJson.toJson(huge).getBytes(StandardCharsets.UTF_8));
        IOException e = assertThrows(IOException.class, () -> read(zip(claim)));
        assertTrue(
                e.getMessage().contains("too few for the " + NetStats.of(huge).withControllers()), e.getMessage());
    }

    @Test
    void aCorruptGraphIsAnIOException() throws IOException {
        Map<String, byte[]> flipped = new LinkedHashMap<>(entries);
        byte[] graph = entries.get("samediff.fb").clone();
        for (int i = 0; i < 64; i++) { // the FlatBuffers root table and vtables
            graph[i] ^= (byte) 0xA5;
        }
        flipped.put("samediff.fb", graph);
        IOException e = assertThrows(IOException.class, () -> read(zip(flipped)));
        assertTrue(e.getMessage().contains("samediff.fb"), e.getMessage());
    }

    @Test
    void aTruncatedCheckpointIsAnIOException() throws IOException {
        byte[] whole = zip(entries);
        assertThrows(IOException.class, () -> read(Arrays.copyOf(whole, whole.length / 2)));
    }

    @Test
    void hugeJsonEntriesAreCutOff() throws IOException {
        Map<String, byte[]> bomb = new LinkedHashMap<>(entries);
        bomb.put("optim.json", new byte[64 << 20]);
        IOException e = assertThrows(IOException.class, () -> read(zip(bomb)));
        assertTrue(e.getMessage().contains("optim.json is larger than " + Checkpoint.MAX_JSON_BYTES), e.getMessage());
    }

    private static void read(byte[] zip) throws IOException {
        LocalTrainer.readCheckpoint(new ByteArrayInputStream(zip)).close();
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(1); // fast on the zeros of the bombs
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
