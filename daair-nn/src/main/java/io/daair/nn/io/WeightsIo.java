package io.daair.nn.io;

import io.daair.nn.DaairNet;
import io.daair.nn.NetStats;
import io.daair.nn.config.BadNetInputException;
import io.daair.nn.config.NetConfig;
import io.daair.nn.io.Safetensors.Contents;
import io.daair.nn.io.Safetensors.Tensor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DaAIR weights as safetensors (docs/architecture.md, "Weight names"): the keys and layouts of a PyTorch
 * state_dict of the spec's structure, float32, controllers included, the {@link NetConfig} as JSON
 * under {@code __metadata__["daair.config"]}.
 *
 * <p>Layouts: SameDiff keeps convolution kernels YXIO {@code [kH, kW, in, out]}, written as PyTorch's
 * {@code (out, in, kH, kW)} (permute 3, 2, 0, 1); depthwise kernels {@code [k, k, C, 1]} (names
 * ending in {@code dw.weight}) as {@code (C, 1, k, k)} (permute 2, 3, 0, 1). Everything else
 * (Linear (out, in), biases, LayerNorm, temperature (h, 1, 1)) has the same layout on both sides.
 */
public final class WeightsIo {

    /** The metadata key holding the configuration JSON. */
    public static final String CONFIG_KEY = "daair.config";

    private WeightsIo() {}

    /** Every parameter of a network (trainable, then controllers), as its spec weight names. */
    public static List<String> names(DaairNet net) {
        List<String> names = new ArrayList<>(net.parameterNames());
        names.addAll(net.controllerNames());
        return names;
    }

    /** Writes a network's weights (controllers included) and configuration to a safetensors file. */
    public static void export(DaairNet net, Path file) throws IOException {
        export(net.sameDiff(), names(net), net.config(), file);
    }

    /** Loads a safetensors file into a network, validated as {@link #importInto(SameDiff, List, NetConfig, Contents)}. */
    public static void importInto(DaairNet net, Path file) throws IOException {
        importInto(net.sameDiff(), names(net), net.config(), Safetensors.read(file));
    }

    /** Writes a network's weights and configuration to a stream (e.g. a Hadoop file), not closed. */
    public static void export(DaairNet net, OutputStream out) throws IOException {
        Safetensors.write(
                out, toTensors(net.sameDiff(), names(net)), Map.of(CONFIG_KEY, NetConfigJson.toJson(net.config())));
    }

    /**
     * Builds a float32 network from a safetensors file: the architecture from its {@code daair.config}
     * metadata, or {@code fallback} when the file has none (e.g. written by a plain PyTorch
     * state_dict export); an error naming the file when neither exists.
     */
    public static DaairNet load(Path file, Optional<NetConfig> fallback) throws IOException {
        return load(Safetensors.read(file), fallback);
    }

    /** As {@link #load(Path, Optional)}, from the bytes of a safetensors file named {@code source}. */
    public static DaairNet load(byte[] safetensors, String source, Optional<NetConfig> fallback) throws IOException {
        return load(Safetensors.read(new ByteArrayInputStream(safetensors), source), fallback);
    }

    /** As {@link #load(Path, Optional)}, from contents already read. */
    public static DaairNet load(Contents contents, Optional<NetConfig> fallback) {
        NetConfig config = config(contents)
                .or(() -> fallback)
                .orElseThrow(() -> new BadNetInputException(contents.source() + " has no " + CONFIG_KEY
                        + " in its __metadata__: give the network configuration (preset and degradations)"));
        checkBeforeBuilding(contents, config);
        DaairNet net = DaairNet.build(config, 0L);
        importInto(net.sameDiff(), names(net), config, contents);
        return net;
    }

    /**
     * What can be checked before a network of {@code config} is built (building one of a configuration a
     * damaged file claims, say dim = 48000, would take gigabytes): the file holds exactly as many values as
     * the configuration has parameters (controllers included, counted by {@link NetStats}), all finite.
     *
     * @throws IllegalArgumentException naming the file and what is wrong
     */
    public static void checkBeforeBuilding(Contents contents, NetConfig config) {
        long expected = NetStats.of(config).withControllers();
        long found = contents.tensors().values().stream()
                .mapToLong(t -> t.data().length)
                .sum();
        if (found != expected) {
            throw new BadNetInputException(contents.source() + " holds " + found + " weights but its network "
                    + config + " has " + expected + " parameters: the file is damaged or its configuration does"
                    + " not belong to it");
        }
        checkFinite(contents.tensors(), contents.source());
    }

    /**
     * Every value finite: a network with a NaN or infinite weight restores black or garbage images.
     *
     * @throws IllegalArgumentException naming the file, the first bad tensor and how many values it spoils
     */
    public static void checkFinite(Map<String, Tensor> tensors, String source) {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            float[] data = e.getValue().data();
            long bad = IntStream.range(0, data.length)
                    .filter(i -> !Float.isFinite(data[i]))
                    .count();
            if (bad > 0) {
                throw new BadNetInputException(source + ": weight '" + e.getKey() + "' has " + bad + " of "
                        + data.length + " values NaN or infinite (training diverged or the file is damaged):"
                        + " use an earlier checkpoint or another model");
            }
        }
    }

    /**
     * The named parameters of a graph as PyTorch-layout float32 tensors, in the given order.
     *
     * @param names the spec weight names (trainable and controllers), each a variable or constant of sd
     */
    public static Map<String, Tensor> toTensors(SameDiff sd, List<String> names) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : names) {
            INDArray pt = toPytorchLayout(name, array(sd, name))
                    .castTo(DataType.FLOAT)
                    .dup('c');
            out.put(name, new Tensor(pt.shape(), pt.data().asFloat()));
        }
        return out;
    }

    /** Writes the named parameters and the configuration to a safetensors file, atomically. */
    public static void export(SameDiff sd, List<String> names, NetConfig config, Path file) throws IOException {
        Safetensors.write(file, toTensors(sd, names), Map.of(CONFIG_KEY, NetConfigJson.toJson(config)));
    }

    /** The configuration stored in a safetensors file's metadata, if any. */
    public static Optional<NetConfig> config(Contents contents) {
        String json = contents.metadata().get(CONFIG_KEY);
        return json == null
                ? Optional.empty()
                : Optional.of(NetConfigJson.fromJson(json, CONFIG_KEY + " in " + contents.source()));
    }

    /**
     * Copies the tensors of a safetensors file into the named parameters of a graph (in place, so
     * sessions and updater state keep their arrays).
     *
     * <p>Checks first, changes nothing on error: the file's configuration (when present) must describe
     * the same architecture as {@code config}; the file must have exactly the expected keys; every
     * shape must be the PyTorch shape of the parameter.
     *
     * @throws IllegalArgumentException naming the file, the key, and the expected and found values
     */
    public static void importInto(SameDiff sd, List<String> names, NetConfig config, Contents contents) {
        config(contents).ifPresent(stored -> {
            if (!sameArchitecture(stored, config)) {
                throw new BadNetInputException(
                        contents.source() + " holds weights for " + stored + " but the network is " + config);
            }
        });
        checkKeys(names, contents);
        Map<String, INDArray> converted = new LinkedHashMap<>();
        for (String name : names) {
            INDArray target = array(sd, name);
            long[] expected = toPytorchLayout(name, target).shape();
            Tensor t = contents.tensor(name);
            if (!Arrays.equals(expected, t.shape())) {
                throw new BadNetInputException(contents.source() + ": '" + name + "' has shape "
                        + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(expected)
                        + " (PyTorch layout) for " + config);
            }
            INDArray pt = Nd4j.create(t.data(), t.shape(), 'c');
            converted.put(name, fromPytorchLayout(name, pt));
        }
        converted.forEach((name, value) -> array(sd, name).assign(value));
    }

    /** Architecture fields equal (the training-only lambda and sigma may differ). */
    static boolean sameArchitecture(NetConfig a, NetConfig b) {
        return NetConfigJson.toJson(withTraining(a, b)).equals(NetConfigJson.toJson(b));
    }

    private static NetConfig withTraining(NetConfig a, NetConfig from) {
        return new NetConfig(
                a.dim(),
                a.encBlocks(),
                a.decBlocks(),
                a.refineBlocks(),
                a.heads(),
                a.ffnFactor(),
                a.rankRatio(),
                a.kernel(),
                a.degradations(),
                a.useExperts(),
                a.useController(),
                from.auxLossWeight(),
                from.emaSigma());
    }

    private static void checkKeys(List<String> names, Contents contents) {
        TreeSet<String> missing = new TreeSet<>(names);
        missing.removeAll(contents.tensors().keySet());
        TreeSet<String> extra = new TreeSet<>(contents.tensors().keySet());
        extra.removeAll(names);
        if (missing.isEmpty() && extra.isEmpty()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        if (!missing.isEmpty()) {
            problems.add(missing.size() + " missing key(s): " + firstFew(missing));
        }
        if (!extra.isEmpty()) {
            problems.add(extra.size() + " unexpected key(s): " + firstFew(extra));
        }
        throw new BadNetInputException(contents.source() + " does not match the network: " + String.join("; ", problems)
                + " (was it exported for another configuration?)");
    }

    private static String firstFew(TreeSet<String> keys) {
        List<String> few = keys.stream().limit(5).toList();
        return String.join(", ", few) + (keys.size() > few.size() ? ", ..." : "");
    }

    /** Whether a name is a depthwise kernel (qkv_dw, qv_dw, k_dw, a_dw, ffn.dw). */
    static boolean isDepthwise(String name) {
        return name.endsWith("dw.weight");
    }

    /** SameDiff layout to PyTorch layout (a view). */
    static INDArray toPytorchLayout(String name, INDArray sdArray) {
        if (sdArray.rank() != 4) {
            return sdArray;
        }
        return isDepthwise(name) ? sdArray.permute(2, 3, 0, 1) : sdArray.permute(3, 2, 0, 1);
    }

    /** PyTorch layout to SameDiff layout (a view): the inverse permutations. */
    static INDArray fromPytorchLayout(String name, INDArray pt) {
        if (pt.rank() != 4) {
            return pt;
        }
        return isDepthwise(name) ? pt.permute(2, 3, 0, 1) : pt.permute(2, 3, 1, 0);
    }

    private static INDArray array(SameDiff sd, String name) {
        SDVariable v = sd.getVariable(name);
        INDArray arr = v == null ? null : v.getArr();
        if (arr == null) {
            throw new IllegalStateException("the graph has no parameter '" + name + "'");
        }
        return arr;
    }
}
