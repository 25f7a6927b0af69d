package io.daair.jobs.deploy;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.network.util.JavaUtils;

/** A JVM option string (spark.*.extraJavaOptions, a SparkApplication's javaOptions) and ND4J's limits in it. */
record JvmOptions(List<String> options) {
    static final String CACHE_DIR = "-Dorg.bytedeco.javacpp.cachedir=";

    static JvmOptions parse(String text) {
        return new JvmOptions(Arrays.asList(text.trim().split("\\s+")));
    }

    /** A {@code -Dname=value} property, if given. */
    Optional<String> property(String name) {
        String prefix = "-D" + name + "=";
        return options.stream()
                .filter(o -> o.startsWith(prefix))
                .map(o -> o.substring(prefix.length()))
                .reduce((first, last) -> last);
    }

    /** javacpp's off-heap limit for ND4J arrays, in bytes. */
    Optional<Long> maxBytes() {
        return property("org.bytedeco.javacpp.maxbytes").map(JavaUtils::byteStringAsBytes);
    }

    /** javacpp's limit for the whole process (heap included), in bytes. */
    Optional<Long> maxPhysicalBytes() {
        return property("org.bytedeco.javacpp.maxphysicalbytes").map(JavaUtils::byteStringAsBytes);
    }

    /**
     * What is wrong with ND4J's limits for a JVM of {@code heap} bytes in a container of
     * {@code container} bytes (memory + memoryOverhead; empty when nothing enforces a limit).
     */
    Optional<String> memoryProblem(long heap, Optional<Long> container) {
        if (maxBytes().isEmpty() || maxPhysicalBytes().isEmpty()) {
            return Optional.of("sets no -Dorg.bytedeco.javacpp.maxbytes / maxphysicalbytes (ND4J's off-heap limits)");
        }
        long physical = maxPhysicalBytes().get();
        if (heap + maxBytes().get() > physical) {
            return Optional.of("heap " + mib(heap) + " + javacpp.maxbytes "
                    + mib(maxBytes().get()) + " exceed javacpp.maxphysicalbytes " + mib(physical)
                    + ": ND4J would fail before its own limit");
        }
        if (container.isPresent() && physical > container.get()) {
            return Optional.of("javacpp.maxphysicalbytes " + mib(physical) + " exceeds memory + memoryOverhead "
                    + mib(container.get()) + ": the container would be killed before ND4J notices");
        }
        return Optional.empty();
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }
}
