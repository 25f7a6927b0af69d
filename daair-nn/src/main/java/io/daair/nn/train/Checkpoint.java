package io.daair.nn.train;

import io.daair.nn.config.NetConfig;
import io.daair.nn.config.OptimConfig;
import io.daair.nn.io.NetConfigJson;
import io.daair.nn.routing.RoutingOps;
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

    static Contents read(InputStream in) throws IOException {
        byte[] net = null;
        byte[] optim = null;
        byte[] graph = null;
        ZipInputStream zip = new ZipInputStream(in);
        for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
            byte[] data = zip.readAllBytes();
            switch (e.getName()) {
                case NET -> net = data;
                case OPTIM -> optim = data;
                case GRAPH -> graph = data;
                default -> throw new IOException("unexpected entry " + e.getName() + " in a daair checkpoint");
            }
        }
        if (net == null || optim == null || graph == null) {
            throw new IOException("not a daair checkpoint: it needs entries " + NET + ", " + OPTIM + " and " + GRAPH);
        }
        JsonNode o = JSON.readTree(optim);
        OptimConfig oc = new OptimConfig(
                o.get("lr").asDouble(),
                o.get("beta1").asDouble(),
                o.get("beta2").asDouble(),
                o.get("eps").asDouble(),
                o.get("warmupSteps").asInt(),
                o.get("totalSteps").asInt());
        NetConfig nc = NetConfigJson.fromJson(new String(net, StandardCharsets.UTF_8), NET + " of the checkpoint");
        RoutingOps.install(); // the graph holds the routing ops
        return new Contents(nc, oc, SameDiff.load(new ByteArrayInputStream(graph), true));
    }

    private static void entry(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }
}
