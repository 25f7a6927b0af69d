package io.daair.nn.io;

import io.daair.nn.config.BadNetInputException;
import io.daair.nn.config.NetConfig;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * {@link NetConfig} as the JSON stored under {@code daair.config} in a safetensors file's
 * {@code __metadata__} (docs/architecture.md, "Weight names").
 *
 * <p>Keys are the record's component names: {@code dim, encBlocks, decBlocks, refineBlocks, heads,
 * ffnFactor, rankRatio, kernel, degradations, useExperts, useController, auxLossWeight, emaSigma};
 * {@code decBlocks} is in the spec table's order (nearest the latent first). The four switches are
 * optional when reading (defaults: experts and controller on, lambda 0.1, sigma 0.999) so that a
 * file written by hand or by another tool only needs the architecture.
 */
public final class NetConfigJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<String> REQUIRED = List.of(
            "dim",
            "encBlocks",
            "decBlocks",
            "refineBlocks",
            "heads",
            "ffnFactor",
            "rankRatio",
            "kernel",
            "degradations");

    private static final List<String> OPTIONAL = List.of("useExperts", "useController", "auxLossWeight", "emaSigma");

    private NetConfigJson() {}

    /** The compact JSON object of a configuration. */
    public static String toJson(NetConfig c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("dim", c.dim());
        ints(o, "encBlocks", c.encBlocks());
        ints(o, "decBlocks", c.decBlocks());
        o.put("refineBlocks", c.refineBlocks());
        ints(o, "heads", c.heads());
        o.put("ffnFactor", c.ffnFactor());
        o.put("rankRatio", c.rankRatio());
        o.put("kernel", c.kernel());
        o.put("degradations", c.degradations());
        o.put("useExperts", c.useExperts());
        o.put("useController", c.useController());
        o.put("auxLossWeight", c.auxLossWeight());
        o.put("emaSigma", c.emaSigma());
        return o.toString();
    }

    /**
     * Parses and validates a configuration.
     *
     * @param source where the JSON came from, for error messages (e.g. "daair.config in w.safetensors")
     * @throws IllegalArgumentException naming the source and the bad key or value
     */
    public static NetConfig fromJson(String json, String source) {
        JsonNode o;
        try {
            o = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new BadNetInputException(source + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (o == null || !o.isObject()) {
            throw new BadNetInputException(source + " must be a JSON object, got: " + json);
        }
        Set<String> known = new LinkedHashSet<>(REQUIRED);
        known.addAll(OPTIONAL);
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw new BadNetInputException(source + ": unknown key '" + key + "'; known keys are " + known);
            }
        }
        for (String key : REQUIRED) {
            if (!o.hasNonNull(key)) {
                throw new BadNetInputException(source + ": missing key '" + key + "'");
            }
        }
        try {
            return new NetConfig(
                    integer(o, "dim", source),
                    intArray(o, "encBlocks", source),
                    intArray(o, "decBlocks", source),
                    integer(o, "refineBlocks", source),
                    intArray(o, "heads", source),
                    number(o, "ffnFactor", source),
                    integer(o, "rankRatio", source),
                    integer(o, "kernel", source),
                    integer(o, "degradations", source),
                    !o.has("useExperts") || bool(o, "useExperts", source),
                    !o.has("useController") || bool(o, "useController", source),
                    o.has("auxLossWeight") ? number(o, "auxLossWeight", source) : 0.1,
                    o.has("emaSigma") ? number(o, "emaSigma", source) : 0.999);
        } catch (BadNetInputException e) {
            if (e.getMessage().startsWith(source)) {
                throw e;
            }
            throw new BadNetInputException(source + ": " + e.getMessage(), e);
        }
    }

    private static void ints(ObjectNode o, String key, int[] values) {
        var array = o.putArray(key);
        for (int v : values) {
            array.add(v);
        }
    }

    private static int integer(JsonNode o, String key, String source) {
        JsonNode v = o.get(key);
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new BadNetInputException(source + ": '" + key + "' must be an integer, got " + v);
        }
        return v.intValue();
    }

    private static double number(JsonNode o, String key, String source) {
        JsonNode v = o.get(key);
        if (!v.isNumber()) {
            throw new BadNetInputException(source + ": '" + key + "' must be a number, got " + v);
        }
        return v.doubleValue();
    }

    private static boolean bool(JsonNode o, String key, String source) {
        JsonNode v = o.get(key);
        if (!v.isBoolean()) {
            throw new BadNetInputException(source + ": '" + key + "' must be true or false, got " + v);
        }
        return v.booleanValue();
    }

    private static int[] intArray(JsonNode o, String key, String source) {
        JsonNode v = o.get(key);
        if (!v.isArray()) {
            throw new BadNetInputException(source + ": '" + key + "' must be a list of integers, got " + v);
        }
        int[] out = new int[v.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = v.get(i);
            if (!e.isIntegralNumber() || !e.canConvertToInt()) {
                throw new BadNetInputException(source + ": '" + key + "' must be a list of integers, got " + v);
            }
            out[i] = e.intValue();
        }
        return out;
    }
}
