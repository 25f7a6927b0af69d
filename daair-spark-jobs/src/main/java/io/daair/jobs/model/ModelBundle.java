package io.daair.jobs.model;

import io.daair.data.degrade.Degradation;
import io.daair.nn.config.NetConfig;
import io.daair.nn.io.NetConfigJson;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A model as it travels to executors: its weights as safetensors bytes (spec names, PyTorch layouts) and
 * its network configuration as JSON. Built once on the driver by {@link ModelLoader} and broadcast. A final
 * class rather than a record: Spark's Kryo serializer (used for broadcasts) cannot build records.
 */
public final class ModelBundle implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Expert name of a network without experts (no routing decision). */
    public static final String NO_EXPERT = "none";

    private final String source;
    private final String configJson;
    private final byte[] safetensors;

    /**
     * @param source what the user gave (file or run directory), for messages and reports
     * @param configJson the network configuration, {@link NetConfigJson}
     * @param safetensors the weights, controllers included
     */
    public ModelBundle(String source, String configJson, byte[] safetensors) {
        this.source = Objects.requireNonNull(source, "source");
        this.configJson = Objects.requireNonNull(configJson, "configJson");
        this.safetensors = Objects.requireNonNull(safetensors, "safetensors");
    }

    public String source() {
        return source;
    }

    public String configJson() {
        return configJson;
    }

    /** The weights (not copied: treat as read-only). */
    public byte[] safetensors() {
        return safetensors;
    }

    public NetConfig config() {
        return NetConfigJson.fromJson(configJson, source);
    }

    /** The experts in router index order ({@code noise, rain, haze[, blur, lowlight]}), or [none]. */
    public List<String> experts() {
        NetConfig c = config();
        if (!c.useExperts()) {
            return List.of(NO_EXPERT);
        }
        return Arrays.stream(Degradation.firstN(c.degradations()))
                .map(Degradation::id)
                .toList();
    }

    /** The name of router index {@code index} ({@code -1}: no routing, {@link #NO_EXPERT}). */
    public static String expertName(int index) {
        return index < 0 ? NO_EXPERT : Degradation.fromLabel(index).id();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelBundle m
                && source.equals(m.source)
                && configJson.equals(m.configJson)
                && Arrays.equals(safetensors, m.safetensors);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * source.hashCode() + configJson.hashCode()) + Arrays.hashCode(safetensors);
    }

    @Override
    public String toString() {
        return "ModelBundle[" + source + ", " + safetensors.length + " bytes]";
    }
}
