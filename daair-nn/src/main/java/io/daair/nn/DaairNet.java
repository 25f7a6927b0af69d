package io.daair.nn;

import io.daair.nn.blocks.BlockSpec;
import io.daair.nn.blocks.DecoderBlock;
import io.daair.nn.blocks.EncoderBlock;
import io.daair.nn.blocks.Expert;
import io.daair.nn.blocks.PixelShuffle;
import io.daair.nn.blocks.PlainBlock;
import io.daair.nn.config.NetConfig;
import io.daair.nn.graph.Graph;
import io.daair.nn.graph.Level;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;

/**
 * The whole DaAIR U-Net (paper Fig. 2; docs/architecture.md, "Whole network") as one SameDiff graph:
 * embedding, four encoder levels, PixelUnshuffle/PixelShuffle between levels, skip fusion, decoder
 * levels, refinement, output convolution and global residual; plus the training loss
 * {@code L1 + lambda * mean router CE}, the router accuracy and the routers' mean probabilities.
 *
 * <p>Placeholders: {@value #INPUT} (B, 3, H, W) with H, W multiples of 8; for training also
 * {@value #CLEAN} (B, 3, H, W) and {@value #LABELS} one-hot (B, E). Parameter variables are named
 * exactly as the spec's weight names; convolution kernels are kept in SameDiff's YXIO layout (see
 * {@link Graph}). Controllers are SameDiff constants. Not thread-safe: one instance per thread.
 *
 * <p>Inside, activations are pixel rows {@code [B*H*W, C]} (the memory of NHWC {@code [B, H, W, C]}): the input
 * is permuted to NHWC once and the output back to NCHW once; each U-Net level's grid ({@link Level}) is computed
 * once and shared by the reshapes of the encoder and decoder blocks at that level.
 */
public final class DaairNet {

    public static final String INPUT = "input";
    public static final String OUTPUT = "output";
    public static final String CLEAN = "clean";
    public static final String LABELS = "labels";
    public static final String LOSS = "loss";
    public static final String L1_LOSS = "l1_loss";
    public static final String AUX_LOSS = "aux_loss";
    public static final String ROUTER_ACCURACY = "router_accuracy";
    public static final String ROUTER_PROBABILITIES = "router_probabilities";

    /**
     * A controller parameter and the encoder agnostic-expert parameters whose mean it follows.
     *
     * @param controller e.g. {@code dec.1.0.controller.down.weight}
     * @param sources e.g. {@code enc.1.0.dale.agnostic.down.weight, enc.1.1.dale.agnostic.down.weight}
     */
    public record ControllerLink(String controller, List<String> sources) {}

    private final NetConfig config;
    private final SameDiff sd;
    private final List<String> parameterNames;
    private final List<String> controllerNames;
    private final List<ControllerLink> controllerLinks;
    private final boolean hasRouters;

    private DaairNet(
            NetConfig config,
            SameDiff sd,
            List<String> parameterNames,
            List<String> controllerNames,
            List<ControllerLink> controllerLinks,
            boolean hasRouters) {
        this.config = config;
        this.sd = sd;
        this.parameterNames = List.copyOf(parameterNames);
        this.controllerNames = List.copyOf(controllerNames);
        this.controllerLinks = List.copyOf(controllerLinks);
        this.hasRouters = hasRouters;
    }

    /** Builds the float32 network with seeded initialisation. */
    public static DaairNet build(NetConfig config, long seed) {
        return build(config, seed, DataType.FLOAT);
    }

    /** Builds the network in {@code type} (DOUBLE for gradient checks). */
    public static DaairNet build(NetConfig config, long seed, DataType type) {
        SameDiff sd = SameDiff.create();
        Graph g = new Graph(sd, type, seed);
        SDVariable img = sd.placeHolder(INPUT, type, -1, 3, -1, -1);
        List<SDVariable> routers = new ArrayList<>();
        List<List<String>> agnostic = new ArrayList<>();
        List<SDVariable> skips = new ArrayList<>();

        SDVariable image = sd.permute(img, 0, 2, 3, 1); // [B, H, W, 3]: the only input permute
        List<Level> levels = new ArrayList<>(List.of(Level.of(g, image)));
        SDVariable x = Level.rows(g.conv("embed.weight", image, 3, config.dim(), 3), config.dim()); // [B*H*W, dim]
        for (int l = 0; l < NetConfig.LEVELS; l++) {
            BlockSpec s = BlockSpec.of(config, l);
            Level level = levels.get(l);
            List<String> levelAgnostic = new ArrayList<>();
            for (int i = 0; i < config.encBlocks()[l]; i++) {
                String prefix = "enc." + l + "." + i;
                x = EncoderBlock.apply(g, level, prefix, x, s, routers);
                levelAgnostic.add(prefix + ".dale.agnostic");
            }
            agnostic.add(levelAgnostic);
            if (l < NetConfig.LEVELS - 1) {
                skips.add(x);
                int c = s.channels();
                levels.add(level.half());
                SDVariable down = g.conv("down." + l + ".0.weight", level.image(x, c), c, c / 2, 3); // [B, H, W, C/2]
                x = PixelShuffle.unshuffle(g, down, c / 2, levels.get(l + 1)); // [B*H/2*W/2, 2C]
            }
        }
        for (int l = NetConfig.LEVELS - 2; l >= 0; l--) {
            BlockSpec s = BlockSpec.of(config, l);
            Level level = levels.get(l);
            Level deeperLevel = levels.get(l + 1);
            int c = s.channels();
            int deeper = config.channels(l + 1);
            SDVariable up = g.conv("up." + l + ".0.weight", deeperLevel.image(x, deeper), deeper, 2 * deeper, 3);
            x = PixelShuffle.shuffle(g, up, c, deeperLevel); // [B*H*W, C]
            x = g.pointwise("fuse." + l + ".weight", sd.concat(1, x, skips.get(l)), 2 * c, c); // [B*H*W, 2C] -> C
            for (int i = 0; i < config.decBlocksAt(l); i++) {
                x = DecoderBlock.apply(
                        g, level, "dec." + l + "." + i, x, s, config.useController(), agnostic.get(l), routers);
            }
        }
        BlockSpec top = BlockSpec.of(config, 0);
        for (int i = 0; i < config.refineBlocks(); i++) {
            x = PlainBlock.apply(g, levels.get(0), "refine." + i, x, top);
        }
        SDVariable residual = g.conv("output.weight", levels.get(0).image(x, config.dim()), config.dim(), 3, 3);
        SDVariable out = sd.permute(residual, 0, 3, 1, 2).add(OUTPUT, img); // [B, 3, H, W]: the only output permute
        addLoss(g, config, out, routers);
        return new DaairNet(
                config, sd, g.trainableNames(), g.frozenNames(), links(g.frozenNames(), agnostic), !routers.isEmpty());
    }

    /**
     * Wraps a graph loaded from a checkpoint: the names come from {@code config}, and every parameter and
     * controller must exist in {@code sd} with the shape this configuration gives it.
     */
    public static DaairNet restore(NetConfig config, SameDiff sd) {
        DaairNet fresh = build(config, 0, DataType.FLOAT);
        for (String name : fresh.allParameterNames()) {
            var loaded = sd.getVariable(name);
            long[] want = fresh.sd.getVariable(name).getArr().shape();
            if (loaded == null || !java.util.Arrays.equals(want, loaded.getArr().shape())) {
                throw new IllegalArgumentException("graph does not match " + config + ": parameter " + name
                        + (loaded == null
                                ? " is missing"
                                : " has shape "
                                        + java.util.Arrays.toString(
                                                loaded.getArr().shape()) + ", want "
                                        + java.util.Arrays.toString(want)));
            }
        }
        return new DaairNet(
                config, sd, fresh.parameterNames, fresh.controllerNames, fresh.controllerLinks, fresh.hasRouters);
    }

    private static void addLoss(Graph g, NetConfig config, SDVariable out, List<SDVariable> routers) {
        SameDiff sd = g.sd();
        SDVariable clean = sd.placeHolder(CLEAN, g.type(), -1, 3, -1, -1);
        SDVariable l1 = sd.math().abs(out.sub(clean)).mean(L1_LOSS);
        if (routers.isEmpty()) {
            sd.setLossVariables(sd.identity(LOSS, l1));
            return;
        }
        SDVariable labels = sd.placeHolder(LABELS, g.type(), -1, config.degradations());
        SDVariable labelIndex = sd.argmax(labels, 1);
        SDVariable ce = null;
        SDVariable correct = null;
        SDVariable probs = null;
        for (SDVariable logits : routers) {
            SDVariable c = crossEntropy(sd, logits, labels);
            SDVariable hit =
                    sd.eq(sd.argmax(logits, 1), labelIndex).castTo(g.type()).mean();
            SDVariable p = sd.nn().softmax(logits, 1);
            ce = ce == null ? c : ce.add(c);
            correct = correct == null ? hit : correct.add(hit);
            probs = probs == null ? p : probs.add(p);
        }
        double n = routers.size();
        SDVariable aux = ce.div(AUX_LOSS, n);
        correct.div(ROUTER_ACCURACY, n);
        probs.div(ROUTER_PROBABILITIES, n);
        sd.setLossVariables(l1.add(LOSS, aux.mul(config.auxLossWeight())));
    }

    /**
     * {@code mean_b (logsumexp_e(logits) - logits[label])}, the max subtracted for stability (its gradient
     * cancels, so it is cut). Not SameDiff's {@code softmaxCrossEntropy}, whose backward ignores the
     * upstream gradient: the 1/n and lambda factors were lost, the routers' pull on the shared weights was
     * n / lambda = 70 times too strong for tiny. Nor {@code logSumExp} (its backward fails on shapes) or
     * {@code logSoftmax(x, dim)} (its dimension does not survive the gradient graph's FlatBuffers copy).
     */
    private static SDVariable crossEntropy(SameDiff sd, SDVariable logits, SDVariable oneHot) {
        SDVariable max = new StopGradient(sd, logits.max(true, 1)).outputVariable(); // (B, 1)
        SDVariable shifted = logits.sub(max);
        SDVariable logSumExp = sd.math().log(sd.math().exp(shifted).sum(true, 1)); // (B, 1)
        return logSumExp.sub(oneHot.mul(shifted).sum(true, 1)).mean();
    }

    private static List<ControllerLink> links(List<String> controllers, List<List<String>> agnostic) {
        List<ControllerLink> links = new ArrayList<>();
        for (String name : controllers) {
            // dec.{l}.{i}.controller.{part}.weight
            String[] p = name.split("\\.", 5);
            int level = Integer.parseInt(p[1]);
            String suffix = "." + p[4];
            links.add(new ControllerLink(
                    name, agnostic.get(level).stream().map(a -> a + suffix).toList()));
        }
        return links;
    }

    public NetConfig config() {
        return config;
    }

    public SameDiff sameDiff() {
        return sd;
    }

    public String inputName() {
        return INPUT;
    }

    public String outputName() {
        return OUTPUT;
    }

    /** Trainable parameter names, in a deterministic order (the order of {@code TrainState.params}). */
    public List<String> parameterNames() {
        return parameterNames;
    }

    /** Controller parameter names (SameDiff constants), in a deterministic order. */
    public List<String> controllerNames() {
        return controllerNames;
    }

    /** Trainable parameters then controllers: every variable a weights file holds. */
    public List<String> allParameterNames() {
        List<String> all = new ArrayList<>(parameterNames);
        all.addAll(controllerNames);
        return all;
    }

    /** Every controller parameter with the agnostic parameters it follows. */
    public List<ControllerLink> controllerLinks() {
        return controllerLinks;
    }

    /** Whether the net has DaLe routers (false for the no-experts ablation): then there is no aux loss. */
    public boolean hasRouters() {
        return hasRouters;
    }

    /** The expert parameter suffixes, for callers that map names. */
    public static List<String> expertParts() {
        return Expert.PARTS;
    }
}
