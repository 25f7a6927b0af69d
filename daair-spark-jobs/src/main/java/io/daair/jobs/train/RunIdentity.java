package io.daair.jobs.train;

import io.daair.nn.config.NetConfig;
import io.daair.nn.config.OptimConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * What makes a run the run it is: every setting that changes its computation, by configuration key,
 * and their SHA-256. Written to the run directory's {@code run.json} when a run starts, so that
 * {@code --resume} with other settings is refused, naming the keys. Not part of it: where the run is,
 * how often it checkpoints, and how it retries a non-finite round.
 */
record RunIdentity(Map<String, String> settings) {
    private static final ObjectMapper JSON = new ObjectMapper();

    RunIdentity {
        settings = new TreeMap<>(settings);
    }

    static RunIdentity of(TrainSpec spec, NetConfig net, OptimConfig optim) {
        Map<String, String> s = new TreeMap<>();
        s.put("daair.train.patches", spec.patches());
        s.put("daair.train.workers", String.valueOf(spec.workers()));
        s.put("daair.train.batch-size-per-worker", String.valueOf(spec.batchSizePerWorker()));
        s.put("daair.train.averaging-frequency", String.valueOf(spec.averagingFrequency()));
        s.put("daair.train.average-updater-state", String.valueOf(spec.averageUpdaterState()));
        s.put("daair.train.epochs", String.valueOf(spec.epochs()));
        s.put("daair.train.steps", String.valueOf(spec.steps()));
        s.put("daair.train.single-task", spec.singleTask());
        s.put("daair.train.aggregation-depth", String.valueOf(spec.aggregationDepth()));
        s.put("daair.train.seed", String.valueOf(spec.seed()));
        s.put("daair.net.dim", String.valueOf(net.dim()));
        s.put("daair.net.enc-blocks", Arrays.toString(net.encBlocks()));
        s.put("daair.net.dec-blocks", Arrays.toString(net.decBlocks()));
        s.put("daair.net.refine-blocks", String.valueOf(net.refineBlocks()));
        s.put("daair.net.heads", Arrays.toString(net.heads()));
        s.put("daair.net.ffn-factor", String.valueOf(net.ffnFactor()));
        s.put("daair.net.rank-ratio", String.valueOf(net.rankRatio()));
        s.put("daair.net.kernel", String.valueOf(net.kernel()));
        s.put("daair.net.degradations", String.valueOf(net.degradations()));
        s.put("daair.net.use-experts", String.valueOf(net.useExperts()));
        s.put("daair.net.use-controller", String.valueOf(net.useController()));
        s.put("daair.net.aux-loss-weight", String.valueOf(net.auxLossWeight()));
        s.put("daair.net.ema-sigma", String.valueOf(net.emaSigma()));
        s.put("daair.optim.lr", String.valueOf(optim.lr()));
        s.put("daair.optim.beta1", String.valueOf(optim.beta1()));
        s.put("daair.optim.beta2", String.valueOf(optim.beta2()));
        s.put("daair.optim.eps", String.valueOf(optim.eps()));
        s.put("daair.optim.warmup-steps", String.valueOf(optim.warmupSteps()));
        return new RunIdentity(s);
    }

    /** SHA-256 of the settings, one {@code key=value} line each in key order. */
    String sha256() {
        StringBuilder text = new StringBuilder();
        settings.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return CheckpointFile.sha256(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("config_sha256", sha256());
        ObjectNode s = root.putObject("settings");
        settings.forEach(s::put);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a run.json; {@code where} names it in errors. */
    static RunIdentity fromJson(String json, String where) {
        try {
            JsonNode s = JSON.readTree(json).get("settings");
            if (s == null || !s.isObject()) {
                throw new IllegalArgumentException(where + " has no \"settings\" object");
            }
            Map<String, String> settings = new TreeMap<>();
            s.fields()
                    .forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
            return new RunIdentity(settings);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** One line per key whose value differs: {@code key: <run's value> in the run, <this value> now}. */
    List<String> differencesFrom(RunIdentity run) {
        List<String> diffs = new ArrayList<>();
        TreeMap<String, String> keys = new TreeMap<>(run.settings);
        keys.putAll(settings);
        for (String key : keys.keySet()) {
            String then = run.settings.getOrDefault(key, "(not set)");
            String now = settings.getOrDefault(key, "(not set)");
            if (!then.equals(now)) {
                diffs.add(key + ": " + then + " in the run, " + now + " now");
            }
        }
        return diffs;
    }
}
