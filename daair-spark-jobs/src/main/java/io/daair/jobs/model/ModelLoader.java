package io.daair.jobs.model;

import io.daair.nn.DaairNet;
import io.daair.nn.config.NetConfig;
import io.daair.nn.io.NetConfigJson;
import io.daair.nn.io.Safetensors;
import io.daair.nn.io.WeightsIo;
import io.daair.nn.train.LocalTrainer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Comparator;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads what {@code --model} names, on the driver, through the Hadoop FileSystem API ({@code file://},
 * {@code hdfs://}, {@code s3a://}), into a {@link ModelBundle}:
 *
 * <ul>
 *   <li>a {@code .safetensors} file: the configuration from its {@code __metadata__} ({@code daair.config}),
 *       else {@code fallback} (the configured {@code daair.net}: {@code --preset}, {@code --degradations});
 *   <li>a training checkpoint {@code round-NNNNNN.ckpt} (a zip with {@code trainer.bin} and {@code run.json});
 *   <li>a training run directory: its {@code model.safetensors}, else its latest checkpoint.
 * </ul>
 *
 * The weights are imported into a network once here, so a wrong or damaged file fails before any Spark work,
 * with the message of {@link WeightsIo} naming the file and the key.
 */
public final class ModelLoader {

    private static final Pattern CHECKPOINT = Pattern.compile("round-\\d{6,}\\.ckpt");
    private static final String TRAINER_ENTRY = "trainer.bin";

    private ModelLoader() {}

    /** Loads and validates the model at {@code uri}. */
    public static ModelBundle load(String uri, NetConfig fallback, Configuration conf) throws IOException {
        Path path = new Path(uri);
        FileSystem fs = path.getFileSystem(conf);
        if (!fs.exists(path)) {
            throw new FileNotFoundException("--model " + uri + ": no such file or directory (give a .safetensors"
                    + " file, a checkpoint round-NNNNNN.ckpt or a training run directory)");
        }
        if (fs.getFileStatus(path).isDirectory()) {
            path = fromRunDirectory(fs, path, uri);
        }
        byte[] bytes;
        try (InputStream in = fs.open(path)) {
            bytes = in.readAllBytes();
        }
        if (CHECKPOINT.matcher(path.getName()).matches() || path.getName().endsWith(".ckpt")) {
            return fromCheckpoint(bytes, path.toString());
        }
        return fromSafetensors(bytes, path.toString(), fallback);
    }

    private static Path fromRunDirectory(FileSystem fs, Path dir, String uri) throws IOException {
        Path model = new Path(dir, "model.safetensors");
        if (fs.exists(model)) {
            return model;
        }
        Path checkpoints = new Path(dir, "checkpoints");
        FileStatus[] found = fs.exists(checkpoints) ? fs.listStatus(checkpoints) : new FileStatus[0];
        return Stream.of(found)
                .map(FileStatus::getPath)
                .filter(p -> CHECKPOINT.matcher(p.getName()).matches())
                .max(Comparator.comparing(Path::getName))
                .orElseThrow(() -> new FileNotFoundException("--model " + uri + " is a directory without"
                        + " model.safetensors or checkpoints/round-NNNNNN.ckpt: give a training run directory or"
                        + " a model file"));
    }

    /** A safetensors file: validated by importing it into a freshly built network. */
    static ModelBundle fromSafetensors(byte[] bytes, String source, NetConfig fallback) throws IOException {
        Safetensors.Contents contents = Safetensors.read(new ByteArrayInputStream(bytes), source);
        NetConfig config = WeightsIo.config(contents).orElse(fallback);
        if (config == null) {
            throw new IllegalArgumentException(source + " has no " + WeightsIo.CONFIG_KEY
                    + " in its __metadata__: give the network configuration (--preset and --degradations)");
        }
        DaairNet net = DaairNet.build(config, 0L);
        WeightsIo.importInto(net.sameDiff(), WeightsIo.names(net), config, contents);
        return new ModelBundle(source, NetConfigJson.toJson(config), bytes);
    }

    /** A checkpoint of {@code daair train}: its trainer's network, re-exported as safetensors bytes. */
    static ModelBundle fromCheckpoint(byte[] zip, String source) throws IOException {
        byte[] trainer = null;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().equals(TRAINER_ENTRY)) {
                    trainer = in.readAllBytes();
                }
            }
        }
        if (trainer == null) {
            throw new IllegalArgumentException(source + " is not a daair training checkpoint (a zip with "
                    + TRAINER_ENTRY + "): give a round-NNNNNN.ckpt written by 'daair train' or a .safetensors file");
        }
        try (LocalTrainer t = LocalTrainer.readCheckpoint(new ByteArrayInputStream(trainer))) {
            DaairNet net = t.net();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Safetensors.write(
                    out,
                    WeightsIo.toTensors(net.sameDiff(), WeightsIo.names(net)),
                    Map.of(WeightsIo.CONFIG_KEY, NetConfigJson.toJson(net.config())));
            return new ModelBundle(source, NetConfigJson.toJson(net.config()), out.toByteArray());
        }
    }
}
