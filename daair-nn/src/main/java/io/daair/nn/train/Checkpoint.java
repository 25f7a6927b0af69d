package io.daair.nn.train;

import io.daair.nn.NetStats;
import io.daair.nn.config.NetConfig;
import io.daair.nn.config.OptimConfig;
import io.daair.nn.io.BoundedInput;
import io.daair.nn.io.NetConfigJson;
import io.daair.nn.routing.ExpertRouting;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The checkpoint format: a zip with {@code net.json} (NetConfig), {@code optim.json} (OptimConfig) and
 * {@code samediff.fb} (SameDiff's own FlatBuffers file with parameters, controllers, Adam state and
 * the iteration count). Callers write to a temporary name and rename.
 */
final class Checkpoint {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NET = "net.json";
    private static final String OPTIM = "optim.json";
    private static final String GRAPH = "samediff.fb";

    /** The most net.json or optim.json may hold (they hold a few hundred bytes). */
    static final int MAX_JSON_BYTES = 1 << 20;

    record Contents(NetConfig net, OptimConfig optim, SameDiff sameDiff) {}

    private Checkpoint() {}

    static void write(OutputStream out, NetConfig net, OptimConfig optim, SameDiff sd) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        entry(zip, NET, NetConfigJson.toJson(net).getBytes(StandardCharsets.UTF_8));
        ObjectNode o = JSON.createObjectNode();
        o.put("lr", optim.lr());
        o.put("beta1", optim.beta1());
        o.put("beta2", optim.beta2());
        o.put("eps", optim.eps());
        o.put("warmupSteps", optim.warmupSteps());
        o.put("totalSteps", optim.totalSteps());
        entry(zip, OPTIM, o.toString().getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream graph = new ByteArrayOutputStream();
        sd.save(graph, true);
        entry(zip, GRAPH, graph.toByteArray());
        zip.finish();
        zip.flush();
    }

    /**
     * Reads a checkpoint without trusting its sizes: the JSON entries may inflate to {@link #MAX_JSON_BYTES},
     * the graph to what the parameters {@code net.json} declares can fill ({@link #maxGraphBytes}).
     */
    static Contents read(InputStream in) throws IOException {
        NetConfig net = null;
        OptimConfig optim = null;
        byte[] graph = null;
        ZipInputStream zip = new ZipInputStream(in);
        for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
            switch (e.getName()) {
                case NET -> net = NetConfigJson.fromJson(json(zip, NET), NET + " of the checkpoint");
                case OPTIM -> optim = optim(json(zip, OPTIM));
                case GRAPH -> graph = graph(zip, net);
                default -> throw new IOException("unexpected entry " + e.getName() + " in a daair checkpoint");
            }
        }
        if (net == null || optim == null || graph == null) {
            throw new IOException("not a daair checkpoint: it needs entries " + NET + ", " + OPTIM + " and " + GRAPH);
        }
        ExpertRouting.installOps(); // the graph holds DaAIR's Java ops, the routing pair among them
        try {
            return new Contents(net, optim, SameDiff.load(new ByteArrayInputStream(graph), true));
        } catch (RuntimeException e) {
            throw new IOException(GRAPH + " of the checkpoint is corrupt (" + e + ")", e);
        }
    }

    private static String json(InputStream zip, String entry) throws IOException {
        return new String(BoundedInput.readAtMost(zip, MAX_JSON_BYTES, entry), StandardCharsets.UTF_8);
    }

    private static OptimConfig optim(String json) throws IOException {
        try {
            JsonNode o = JSON.readTree(json);
            return new OptimConfig(
                    o.get("lr").asDouble(),
                    o.get("beta1").asDouble(),
                    o.get("beta2").asDouble(),
                    o.get("eps").asDouble(),
                    o.get("warmupSteps").asInt(),
                    o.get("totalSteps").asInt());
        } catch (RuntimeException e) {
            throw new IOException(OPTIM + " of the checkpoint is not a valid optimiser configuration: " + json, e);
        }
    }

    /** The graph's bytes, at least one float and at most {@link #maxGraphBytes} per declared parameter. */
    private static byte[] graph(InputStream zip, NetConfig net) throws IOException {
        if (net == null) {
            throw new IOException(GRAPH + " comes before " + NET + ": not a checkpoint written by daair");
        }
        long parameters = NetStats.of(net).withControllers();
        byte[] graph = BoundedInput.readAtMost(zip, maxGraphBytes(parameters), GRAPH + " of the checkpoint");
        if (graph.length < 4 * parameters) {
            throw new IOException(GRAPH + " of the checkpoint has " + graph.length + " bytes, too few for the "
                    + parameters + " parameters of the network in " + NET + " (" + net + ")");
        }
        return graph;
    }

    /**
     * The largest graph a network of {@code parameters} parameters saves: each parameter with its two Adam
     * moments (12 bytes, 16 allowed) plus the graph's structure (a few MB for the paper preset, 64 MiB allowed).
     */
    static long maxGraphBytes(long parameters) {
        return 64L * 1024 * 1024 + 16 * parameters;
    }

    private static void entry(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }
}
