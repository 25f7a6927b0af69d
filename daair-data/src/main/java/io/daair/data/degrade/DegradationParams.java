package io.daair.data.degrade;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What was done to one image: the degradation, the seed and the drawn parameters (numbers or strings, in a
 * fixed order). {@link #toJson()} is what the Parquet {@code params} column holds, e.g.
 * {@code {"kind":"haze","seed":42,"source":"synthetic","beta":0.1,"A":0.9}}.
 */
public record DegradationParams(Degradation kind, long seed, Map<String, Object> values) {

    public DegradationParams {
        Objects.requireNonNull(kind, "kind");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Starts a parameter list. */
    public static Builder builder(Degradation kind, long seed) {
        return new Builder(kind, seed);
    }

    /** The parameter {@code name} as a number. */
    public double number(String name) {
        Object v = values.get(name);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("no numeric parameter '" + name + "' in " + toJson());
        }
        return n.doubleValue();
    }

    /** One line of JSON: kind, seed, then the values in insertion order. */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{\"kind\":\"")
                .append(kind.id())
                .append("\",\"seed\":")
                .append(seed);
        for (Map.Entry<String, Object> e : values.entrySet()) {
            sb.append(",\"").append(escape(e.getKey())).append("\":");
            Object v = e.getValue();
            if (v instanceof Number n) {
                sb.append(formatNumber(n));
            } else if (v instanceof Boolean b) {
                sb.append(b);
            } else {
                sb.append('"').append(escape(String.valueOf(v))).append('"');
            }
        }
        return sb.append('}').toString();
    }

    private static String formatNumber(Number n) {
        if (n instanceof Integer || n instanceof Long) {
            return n.toString();
        }
        double d = n.doubleValue();
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("parameter is not finite: " + d);
        }
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Collects parameters in order. */
    public static final class Builder {
        private final Degradation kind;
        private final long seed;
        private final Map<String, Object> values = new LinkedHashMap<>();

        private Builder(Degradation kind, long seed) {
            this.kind = kind;
            this.seed = seed;
        }

        public Builder put(String name, Object value) {
            values.put(name, value);
            return this;
        }

        public DegradationParams build() {
            return new DegradationParams(kind, seed, values);
        }
    }
}
