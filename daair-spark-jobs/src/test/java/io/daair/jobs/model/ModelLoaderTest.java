package io.daair.jobs.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.daair.jobs.cli.ExitCode;
import io.daair.jobs.cli.UserException;
import io.daair.nn.DaairNet;
import io.daair.nn.config.NetConfig;
import io.daair.nn.config.OptimConfig;
import io.daair.nn.io.NetConfigJson;
import io.daair.nn.io.Safetensors;
import io.daair.nn.io.WeightsIo;
import io.daair.nn.train.LocalTrainer;
import io.daair.nn.train.TrainState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged and hostile model files given to {@code --model} fail as one line naming the file and what is wrong,
 * as bad input (exit code 2), within bounded memory. Each is crafted from a real tiny model.
 */
class ModelLoaderTest {

    private static final NetConfig TINY = NetConfig.preset("tiny", 3);
    private static final OptimConfig OPTIM = new OptimConfig(1e-3, 0.9, 0.999, 1e-8, 0, 100);
    private static byte[] trainer;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeTrainer() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LocalTrainer t = new LocalTrainer(TINY, OPTIM, 3)) {
            t.writeCheckpoint(out);
        }
        trainer = out.toByteArray();
    }

    @Test
    void aWholeCheckpointLoads() throws IOException {
        Path ckpt = write("round-000001.ckpt", checkpoint(trainer));
        assertEquals(
                TINY,
                ModelLoader.load(ckpt.toString(), null, new Configuration()).config());
    }

    @Test
    void aCheckpointBundleBuildsTheTrainersNetwork() throws IOException {
        Path ckpt = write("round-000009.ckpt", checkpoint(trainer));
        DaairNet net =
                ModelLoader.load(ckpt.toString(), null, new Configuration()).net();
        try (LocalTrainer t = LocalTrainer.readCheckpoint(new ByteArrayInputStream(trainer))) {
            Map<String, Safetensors.Tensor> want = WeightsIo.toTensors(t.net().sameDiff(), WeightsIo.names(t.net()));
            Map<String, Safetensors.Tensor> got = WeightsIo.toTensors(net.sameDiff(), WeightsIo.names(net));
            assertEquals(want.keySet(), got.keySet());
            want.forEach((name, tensor) ->
                    assertArrayEquals(tensor.data(), got.get(name).data(), name));
        }
    }

    @Test
    void aTruncatedCheckpointIsNamed() throws IOException {
        byte[] whole = checkpoint(trainer);
        Path ckpt = write("round-000002.ckpt", Arrays.copyOf(whole, whole.length / 2));
        badInput(ckpt, "");
    }

    @Test
    void aZipBombCheckpointIsCutOffWithoutTakingItsMemory() throws IOException {
        Path ckpt = write("round-000003.ckpt", checkpoint(new byte[400 << 20])); // 400 MB of zeros
        long before = allocatedBytes();
        badInput(ckpt, "trainer.bin of " + ckpt + " is larger than");
        long allocated = allocatedBytes() - before;
        assertTrue(allocated < 100_000_000, allocated + " bytes allocated");
    }

    @Test
    void aCorruptGraphIsABadModelFile() throws IOException {
        Map<String, byte[]> entries = unzip(trainer);
        byte[] graph = entries.get("samediff.fb");
        for (int i = 0; i < 64; i++) {
            graph[i] ^= (byte) 0xA5;
        }
        Path ckpt = write("round-000004.ckpt", checkpoint(zip(entries)));
        badInput(ckpt, "samediff.fb");
    }

    @Test
    void aCheckpointOfNaNWeightsIsRefused() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LocalTrainer t = new LocalTrainer(TINY, OPTIM, 3)) {
            TrainState s = t.state();
            float[] params = s.params().clone();
            Arrays.fill(params, Float.NaN);
            t.setState(new TrainState(params, s.adamM(), s.adamV(), s.controllers(), s.iteration()));
            t.writeCheckpoint(out);
        }
        Path ckpt = write("round-000005.ckpt", checkpoint(out.toByteArray()));
        badInput(ckpt, "NaN or infinite");
    }

    @Test
    void aSafetensorsFileClaimingAHugeNetworkFailsBeforeBuildingIt() throws IOException {
        NetConfig huge = new NetConfig(
                48000, TINY.encBlocks(), TINY.decBlocks(), 1, TINY.heads(), 2.66, 4, 7, 3, true, true, 0.1, 0.999);
        DaairNet tiny = DaairNet.build(TINY, 3L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Safetensors.write(
                out,
                WeightsIo.toTensors(tiny.sameDiff(), WeightsIo.names(tiny)),
                Map.of(WeightsIo.CONFIG_KEY, NetConfigJson.toJson(huge)));
        Path file = write("claim.safetensors", out.toByteArray());
        badInput(file, "parameters");
    }

    private void badInput(Path file, String reason) {
        UserException e =
                assertThrows(UserException.class, () -> ModelLoader.load(file.toString(), null, new Configuration()));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        String m = e.getMessage();
        assertTrue(m.startsWith("bad model file " + file) && m.contains(reason) && !m.contains("\n"), m);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    /** A checkpoint as {@code daair train} writes it: run.json, then the trainer's own zip. */
    private static byte[] checkpoint(byte[] trainerBytes) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("run.json", "{\"round\":1,\"step\":1,\"lr_scale\":1.0}".getBytes(StandardCharsets.UTF_8));
        entries.put("trainer.bin", trainerBytes);
        return zip(entries);
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
            zip.setLevel(1); // fast on the zeros of the bomb
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
