package io.daair.jobs.model;

import io.daair.data.UserPaths;
import io.daair.jobs.cli.UserException;
import io.daair.jobs.train.CheckpointFile;
import io.daair.nn.DaairNet;
import io.daair.nn.config.NetConfig;
import io.daair.nn.io.NetConfigJson;
import io.daair.nn.io.WeightsIo;
import io.daair.nn.train.LocalTrainer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
 * The weights are checked and imported into a network once here, so a wrong, damaged or hostile file (huge
 * claimed sizes, a zip bomb, NaN weights, a corrupt graph) fails before any Spark work, within bounded memory,
 * as one line naming the file and what is wrong ({@link UserException#badInput}: exit code 2).
 */
public final class ModelLoader {

    private static final Pattern CHECKPOINT = Pattern.compile("round-\\d{6,}\\.ckpt");

    private ModelLoader() {}

    /** Loads and validates the model at {@code uri}. */
    public static ModelBundle load(String uri, NetConfig fallback, Configuration conf) throws IOException {
        Path path = UserPaths.parse("--model", uri);
        FileSystem fs = path.getFileSystem(conf);
        if (!fs.exists(path)) {
            throw UserException.badState("--model " + uri + ": no such file or directory (give a .safetensors"
                    + " file, a checkpoint round-NNNNNN.ckpt or a training run directory)");
        }
        if (fs.getFileStatus(path).isDirectory()) {
            path = fromRunDirectory(fs, path, uri);
        }
        try {
            byte[] bytes;
            try (InputStream in = fs.open(path)) {
                bytes = in.readAllBytes();
            }
            if (CHECKPOINT.matcher(path.getName()).matches() || path.getName().endsWith(".ckpt")) {
                return fromCheckpoint(bytes, path.toString());
            }
            return fromSafetensors(bytes, path.toString(), fallback);
        } catch (IOException | RuntimeException e) {
            throw UserException.badInput("bad model file " + path + ": " + firstLine(e), e);
        }
    }

    /**
     * Fails, naming both, when the settings name a network ({@code daair.net.*} given) other than the model's own;
     * the training-only settings (routing-loss weight, the controller's EMA) may differ.
     */
    public static void requireNetwork(ModelBundle model, NetConfig named) {
        if (!architecture(model.config()).equals(architecture(named))) {
            throw UserException.badInput("--model " + model.source() + " is the network " + model.config()
                    + ", but daair.net (from --preset, --conf or --set) names " + named + ": leave those settings out"
                    + " to use the model's own network, or give a model of that network");
        }
    }

    private static NetConfig architecture(NetConfig c) {
        return new NetConfig(
                c.dim(),
                c.encBlocks(),
                c.decBlocks(),
                c.refineBlocks(),
                c.heads(),
                c.ffnFactor(),
                c.rankRatio(),
                c.kernel(),
                c.degradations(),
                c.useExperts(),
                c.useController(),
                0,
                0);
    }

    /** The first line of the failure's message (a damaged file can make a library print a page). */
    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = m.indexOf('\n');
        return newline < 0 ? m : m.substring(0, newline);
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
                .orElseThrow(() -> UserException.badState("--model " + uri + " is a directory without"
                        + " model.safetensors or checkpoints/round-NNNNNN.ckpt: give a training run directory or"
                        + " a model file"));
    }

    /**
     * A safetensors file: validated (weight count, finiteness, keys, shapes) by loading it into a network as every
     * executor will ({@link WeightsIo#load(byte[], String, Optional)}).
     */
    static ModelBundle fromSafetensors(byte[] bytes, String source, NetConfig fallback) throws IOException {
        DaairNet net = WeightsIo.load(bytes, source, Optional.ofNullable(fallback));
        return new ModelBundle(source, NetConfigJson.toJson(net.config()), bytes);
    }

    /**
     * A checkpoint of {@code daair train}, read and verified by its format's owner ({@link CheckpointFile}): its
     * trainer's network, exported as safetensors bytes and then validated as a safetensors file is
     * ({@link #fromSafetensors}).
     */
    static ModelBundle fromCheckpoint(byte[] zip, String source) throws IOException {
        return fromTrainer(
                new ByteArrayInputStream(CheckpointFile.read(zip, source).trainer()), source);
    }

    private static ModelBundle fromTrainer(InputStream trainer, String source) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LocalTrainer t = LocalTrainer.readCheckpoint(trainer)) {
            WeightsIo.export(t.net(), out);
        }
        return fromSafetensors(out.toByteArray(), source, null);
    }
}
