package io.daair.jobs.model;

import io.daair.data.degrade.Degradation;
import io.daair.nn.DaairNet;
import io.daair.nn.config.NetConfig;
import io.daair.nn.io.NetConfigJson;
import io.daair.nn.io.WeightsIo;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A model as it travels to executors: its weights as safetensors bytes (spec names, PyTorch layouts) and
 * its network configuration as JSON. Built once on the driver by {@link ModelLoader} and broadcast (Java
 * serialization, as everything daair sends through Spark).
 *
 * @param source what the user gave (file or run directory), for messages and reports
 * @param configJson the network configuration, {@link NetConfigJson}
 * @param safetensors the weights, controllers included (not copied: treat as read-only)
 */
public record ModelBundle(String source, String configJson, byte[] safetensors) implements Serializable {

    /** Expert name of a network without experts (no routing decision). */
    public static final String NO_EXPERT = "none";

    public ModelBundle {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(configJson, "configJson");
        Objects.requireNonNull(safetensors, "safetensors");
    }

    public NetConfig config() {
        return NetConfigJson.fromJson(configJson, source);
    }

    /**
     * A float32 network of this configuration with these weights, loaded and checked as {@link ModelLoader} did
     * on the driver ({@link WeightsIo#load(byte[], String, Optional)}).
     */
    public DaairNet net() {
        try {
            return WeightsIo.load(safetensors, source, Optional.of(config()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the weights of " + source, e);
        }
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

    /** Equal fields, the weights compared by content. */
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
