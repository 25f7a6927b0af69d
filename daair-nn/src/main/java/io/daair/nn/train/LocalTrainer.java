package io.daair.nn.train;

import io.daair.nn.DaairNet;
import io.daair.nn.blocks.Router;
import io.daair.nn.config.NetConfig;
import io.daair.nn.config.OptimConfig;
import io.daair.nn.exec.TrainingStep;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.common.config.ND4JSystemProperties;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Trains one DaAIR replica on local minibatches (docs/architecture.md, "Losses and optimiser"): Adam with
 * the cosine schedule on {@code L1 + lambda * mean router CE}, then the controller EMA after every step.
 * Gives flat access to parameters and Adam state for parameter averaging, and SameDiff-format
 * checkpoints. Not thread-safe: one trainer per thread.
 */
public final class LocalTrainer implements AutoCloseable {

    static {
        // SameDiff's own sessions (calculateGradients) then free every array at its last use (ND4J M2.1's
        // ArrayCacheMemoryMgr reads this per session) instead of keeping it in a cache that the next call's fresh
        // session never sees, so that memory waits for the garbage collector (before TrainingStep: tiny, batch
        // 4, 64x64, 100 steps: peak RSS 1.85 -> 3.04 GB with the cache, 1.15 -> 1.66 GB without)
        if (System.getProperty(ND4JSystemProperties.SAMEDIFF_MEMORY_CACHE_DISABLE) == null) {
            System.setProperty(ND4JSystemProperties.SAMEDIFF_MEMORY_CACHE_DISABLE, "false");
        }
    }

    private final DaairNet net;
    private final OptimConfig optim;
    private final SameDiff sd;
    private TrainingStep steps;
    private boolean closed;

    /** A freshly initialised network (seeded) with a new optimizer. */
    public LocalTrainer(NetConfig net, OptimConfig optim, long seed) {
        this(DaairNet.build(net, seed), optim, true);
    }

    private LocalTrainer(DaairNet net, OptimConfig optim, boolean configure) {
        this.net = net;
        this.optim = optim;
        this.sd = net.sameDiff();
        if (configure) {
            sd.setTrainingConfig(trainingConfig(net, optim));
        }
    }

    private static TrainingConfig trainingConfig(DaairNet net, OptimConfig o) {
        Adam adam = Adam.builder()
                .learningRateSchedule(CosineSchedule.of(o))
                .beta1(o.beta1())
                .beta2(o.beta2())
                .epsilon(o.eps())
                .build();
        TrainingConfig.Builder b = new TrainingConfig.Builder().updater(adam).dataSetFeatureMapping(DaairNet.INPUT);
        if (net.hasRouters()) {
            b.dataSetLabelMapping(DaairNet.CLEAN, DaairNet.LABELS);
        } else {
            b.dataSetLabelMapping(DaairNet.CLEAN);
        }
        return b.build();
    }

    /** One Adam step on {@code mb}, then the controller EMA. The figures are those of the forward pass. */
    public StepResult step(Minibatch mb) {
        checkOpen();
        INDArray x = image(mb.degraded(), mb.batch(), mb.height(), mb.width());
        INDArray y = image(mb.clean(), mb.batch(), mb.height(), mb.width());
        INDArray[] labels = net.hasRouters() ? new INDArray[] {y, oneHot(mb.labels())} : new INDArray[] {y};
        Map<String, INDArray> placeholders = new HashMap<>(Map.of(DaairNet.INPUT, x, DaairNet.CLEAN, y));
        if (net.hasRouters()) {
            placeholders.put(DaairNet.LABELS, labels[1]);
        }
        Capture capture = new Capture(!net.hasRouters());
        if (steps == null) {
            updaters(); // creates SameDiff's updater state, as its fit would at the first step
            steps = new TrainingStep(sd);
        }
        steps.run(
                placeholders,
                new MultiDataSet(new INDArray[] {x}, labels),
                List.of(capture, new EmptyBatchGradients()));
        ControllerEma.update(net);
        Double l1 = capture.l1 != null || capture.output == null ? capture.l1 : meanAbsoluteError(capture.output, y);
        if (l1 == null || (net.hasRouters() && capture.aux == null)) {
            throw new IllegalStateException("SameDiff did not report the loss terms of this step");
        }
        double aux = net.hasRouters() ? capture.aux : 0.0;
        double loss = l1 + net.config().auxLossWeight() * aux;
        return new StepResult(loss, aux, capture.accuracy(mb.labels()), mb.batch());
    }

    /**
     * The L1 loss of a step, when SameDiff did not evaluate it: without routers the loss is
     * {@code identity(mean(|out - clean|))}, whose gradient never needs the mean itself.
     */
    private static double meanAbsoluteError(INDArray out, INDArray clean) {
        return Transforms.abs(out.castTo(DataType.DOUBLE).sub(clean.castTo(DataType.DOUBLE)))
                .meanNumber()
                .doubleValue();
    }

    /** The restored image (B, 3, H, W) NCHW for a degraded one; H, W multiples of 8. */
    public float[] forward(float[] nchw, int b, int h, int w) {
        checkOpen();
        INDArray out = sd.output(Map.of(DaairNet.INPUT, image(nchw, b, h, w)), DaairNet.OUTPUT)
                .get(DaairNet.OUTPUT);
        return out.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    /** Per sample, the router probabilities (E) averaged over all DaLe routers. */
    public float[][] routerProbabilities(float[] nchw, int b, int h, int w) {
        checkOpen();
        if (!net.hasRouters()) {
            throw new IllegalStateException("this network has no routers (use-experts = false)");
        }
        INDArray p = sd.output(Map.of(DaairNet.INPUT, image(nchw, b, h, w)), DaairNet.ROUTER_PROBABILITIES)
                .get(DaairNet.ROUTER_PROBABILITIES);
        return p.castTo(DataType.FLOAT).toFloatMatrix();
    }

    /** A copy of all parameters, Adam moments, controllers and the iteration. */
    public TrainState state() {
        checkOpen();
        List<String> names = net.parameterNames();
        Map<String, GradientUpdater<?>> updaters = updaters();
        return new TrainState(
                flatten(names, n -> sd.getVariable(n).getArr()),
                flatten(names, n -> updaters.get(n).getState().get("M")),
                flatten(names, n -> updaters.get(n).getState().get("V")),
                flatten(net.controllerNames(), n -> sd.getVariable(n).getArr()),
                sd.getTrainingConfig().getIterationCount());
    }

    /** Writes a state back in place (bit-exact); lengths must match this network. */
    public void setState(TrainState s) {
        checkOpen();
        List<String> names = net.parameterNames();
        Map<String, GradientUpdater<?>> updaters = updaters();
        unflatten("params", s.params(), names, n -> sd.getVariable(n).getArr());
        unflatten("adamM", s.adamM(), names, n -> updaters.get(n).getState().get("M"));
        unflatten("adamV", s.adamV(), names, n -> updaters.get(n).getState().get("V"));
        unflatten("controllers", s.controllers(), net.controllerNames(), n -> sd.getVariable(n)
                .getArr());
        sd.getTrainingConfig().setIterationCount(Math.toIntExact(s.iteration()));
    }

    /** Writes the graph, parameters, Adam state and configurations (SameDiff's format inside a zip). */
    public void writeCheckpoint(OutputStream out) throws IOException {
        checkOpen();
        updaters(); // so that a checkpoint taken before the first step still has Adam state
        Checkpoint.write(out, net.config(), optim, sd);
    }

    /**
     * Reads a checkpoint written by {@link #writeCheckpoint}; a damaged one (truncated, inflating past what its
     * network can hold, a corrupt graph, a graph that does not match its configuration) is an
     * {@link IOException} saying what is wrong, for the caller to name the file.
     */
    public static LocalTrainer readCheckpoint(InputStream in) throws IOException {
        Checkpoint.Contents c = Checkpoint.read(in);
        try {
            return new LocalTrainer(DaairNet.restore(c.net(), c.sameDiff()), c.optim(), false);
        } catch (RuntimeException e) {
            throw new IOException("the checkpoint's graph does not match its network: " + e.getMessage(), e);
        }
    }

    public DaairNet net() {
        return net;
    }

    public NetConfig netConfig() {
        return net.config();
    }

    public OptimConfig optimConfig() {
        return optim;
    }

    /** Optimizer steps taken so far. */
    public long iteration() {
        return sd.getTrainingConfig().getIterationCount();
    }

    @Override
    public void close() {
        closed = true;
        if (steps != null) {
            steps.close();
        }
    }

    /** Whether the training steps have given {@code array}'s memory back (see {@link TrainingStep#released}). */
    boolean released(INDArray array) {
        return steps != null && steps.released(array);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("LocalTrainer is closed");
        }
    }

    /** SameDiff creates the updater state lazily at the first fit; create it now if needed. */
    private Map<String, GradientUpdater<?>> updaters() {
        if (sd.getUpdaterMap() == null) {
            try {
                Method init = SameDiff.class.getDeclaredMethod("initializeTraining");
                init.setAccessible(true);
                init.invoke(sd);
            } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot initialise SameDiff's updater state", e);
            }
        }
        Map<String, GradientUpdater<?>> typed = new HashMap<>();
        sd.getUpdaterMap().forEach(typed::put);
        return typed;
    }

    private INDArray image(float[] nchw, int b, int h, int w) {
        if (nchw.length != 3L * b * h * w || h % 8 != 0 || w % 8 != 0) {
            throw new IllegalArgumentException("image array of length " + nchw.length + " is not (" + b + ", 3, " + h
                    + ", " + w + ") with H, W multiples of 8");
        }
        return Nd4j.create(nchw, new long[] {b, 3, h, w}, 'c');
    }

    private INDArray oneHot(int[] labels) {
        int e = net.config().degradations();
        INDArray y = Nd4j.create(DataType.FLOAT, labels.length, e);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= e) {
                throw new IllegalArgumentException(
                        "label " + labels[i] + " of sample " + i + " is outside 0.." + (e - 1) + " (E = " + e + ")");
            }
            y.putScalar(i, labels[i], 1.0);
        }
        return y;
    }

    private static float[] flatten(List<String> names, java.util.function.Function<String, INDArray> get) {
        long total = 0;
        for (String n : names) {
            total += get.apply(n).length();
        }
        float[] flat = new float[Math.toIntExact(total)];
        int pos = 0;
        for (String n : names) {
            float[] part = get.apply(n).dup('c').data().asFloat();
            System.arraycopy(part, 0, flat, pos, part.length);
            pos += part.length;
        }
        return flat;
    }

    private static void unflatten(
            String field, float[] flat, List<String> names, java.util.function.Function<String, INDArray> get) {
        int pos = 0;
        for (String n : names) {
            INDArray target = get.apply(n);
            int len = Math.toIntExact(target.length());
            if (pos + len > flat.length) {
                throw new IllegalArgumentException("TrainState." + field + " has " + flat.length
                        + " values, too few for this network (at " + n + ")");
            }
            float[] part = java.util.Arrays.copyOfRange(flat, pos, pos + len);
            target.assign(Nd4j.create(part, target.shape(), 'c'));
            pos += len;
        }
        if (pos != flat.length) {
            throw new IllegalArgumentException(
                    "TrainState." + field + " has " + flat.length + " values, this network needs " + pos);
        }
    }

    /**
     * Reads the loss terms and the router logits as SameDiff computes them during fit (one pass; the
     * total loss and the accuracy are not themselves executed in training, so they are derived here).
     */
    private static final class Capture extends BaseListener {
        private Double l1;
        private Double aux;
        private final boolean keepsOutput;
        private INDArray output;
        private final List<INDArray> logits = new java.util.ArrayList<>();

        /** @param keepsOutput whether to keep the network's output (to compute an L1 loss SameDiff skipped) */
        Capture(boolean keepsOutput) {
            this.keepsOutput = keepsOutput;
        }

        @Override
        public boolean isActive(Operation operation) {
            return operation == Operation.TRAINING;
        }

        @Override
        public void opExecution(
                SameDiff sd,
                At at,
                org.nd4j.linalg.dataset.api.MultiDataSet batch,
                SameDiffOp op,
                OpContext context,
                INDArray[] outputs) {
            List<String> names = op.getOutputsOfOp();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                if (name.equals(DaairNet.L1_LOSS)) {
                    l1 = outputs[i].getDouble(0);
                } else if (keepsOutput && name.equals(DaairNet.OUTPUT)) {
                    output = outputs[i].dup();
                } else if (name.equals(DaairNet.AUX_LOSS)) {
                    aux = outputs[i].getDouble(0);
                } else if (name.endsWith(Router.LOGITS)) {
                    logits.add(outputs[i].dup());
                }
            }
        }

        /** Fraction of (router, sample) pairs whose argmax is the label; NaN without routers. */
        double accuracy(int[] labels) {
            if (logits.isEmpty()) {
                return Double.NaN;
            }
            long hits = 0;
            for (INDArray l : logits) {
                INDArray idx = l.argMax(1);
                for (int b = 0; b < labels.length; b++) {
                    hits += idx.getInt(b) == labels[b] ? 1 : 0;
                }
            }
            return (double) hits / ((long) logits.size() * labels.length);
        }
    }
}
