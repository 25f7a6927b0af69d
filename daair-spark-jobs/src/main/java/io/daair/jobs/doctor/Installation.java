package io.daair.jobs.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/** What an installation runs on: the ND4J backend and its native build, and the memory settings in force. */
public final class Installation {

    /** libnd4j's CPU feature levels (binaryLevel / optimalLevel). */
    private static final String[] LEVELS = {"generic", "x86-64", "AVX2", "AVX-512"};

    private Installation() {}

    /** "label  value" lines: backend, native build, native library, then memory and threads. */
    public static List<String> describe() {
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        List<String> lines = new ArrayList<>();
        lines.add(line(
                "backend",
                env.get("backend") + " (" + Nd4j.getBackend().getClass().getName() + "), blas " + env.get("blas.vendor")
                        + ", " + env.get("cores") + " cores"));
        if ("CPU".equals(String.valueOf(env.get("backend")))) {
            NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
            lines.add(line(
                    "native build",
                    level(ops.binaryLevel()) + " build; this CPU supports " + level(ops.optimalLevel())
                            + (ops.isOptimalRequirementsMet() ? "" : " (the build needs more: expect a crash)")));
        } else {
            env.forEach((key, value) -> {
                if (String.valueOf(key).startsWith("cuda")) {
                    lines.add(line(String.valueOf(key), String.valueOf(value)));
                }
            });
        }
        lines.add(line("native library", nativeLibrary()));
        lines.add(line("JVM max heap", bytes(Runtime.getRuntime().maxMemory())));
        lines.add(line(
                "javacpp maxbytes",
                bytes(Pointer.maxBytes())
                        + " (javacpp's own pointers, not ND4J's arrays; -Dorg.bytedeco.javacpp.maxbytes)"));
        long physical = Pointer.maxPhysicalBytes();
        lines.add(line(
                "javacpp maxphysical",
                (physical > 0 ? bytes(physical) : "none")
                        + " (whole process; -Dorg.bytedeco.javacpp.maxphysicalbytes)"));
        String omp = System.getenv("OMP_NUM_THREADS");
        lines.add(line(
                "OMP_NUM_THREADS",
                (omp == null ? "unset" : omp) + " (ND4J threads " + env.get("omp.threads") + ", blas threads "
                        + env.get("blas.threads") + ")"));
        return lines;
    }

    private static String level(int level) {
        return level >= 0 && level < LEVELS.length ? LEVELS[level] : "level " + level;
    }

    private static String nativeLibrary() {
        for (Map.Entry<String, String> e : Loader.getLoadedLibraries().entrySet()) {
            if (e.getKey().startsWith("jnind4j")) {
                return e.getValue();
            }
        }
        return "(not loaded)";
    }

    private static String line(String label, String value) {
        return String.format(Locale.ROOT, "%-20s %s", label, value);
    }

    private static String bytes(long n) {
        return String.format(Locale.ROOT, "%.1f GiB (%,d bytes)", n / (double) (1L << 30), n);
    }
}
