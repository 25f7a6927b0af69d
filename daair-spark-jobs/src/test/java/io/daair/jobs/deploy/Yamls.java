package io.daair.jobs.deploy;

import java.util.List;
import java.util.Map;

/** Lenient access to parsed YAML (SnakeYAML maps and lists): a missing or mistyped node reads as empty. */
final class Yamls {
    private Yamls() {}

    static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        return value instanceof Map<?, ?> m ? cast(m) : Map.of();
    }

    static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }

    static List<String> strings(Object value) {
        return list(value).stream().map(String::valueOf).toList();
    }

    static List<Map<String, Object>> maps(Object value) {
        return list(value).stream()
                .filter(Map.class::isInstance)
                .map(m -> cast((Map<?, ?>) m))
                .toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
