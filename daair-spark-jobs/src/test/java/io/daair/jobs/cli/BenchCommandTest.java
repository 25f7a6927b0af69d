package io.daair.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The JVMs that {@code daair bench} measures run with the memory settings that bin/daair runs with. */
class BenchCommandTest {

    @Test
    void measuredJvmsGetThisJvmsHeapSettingsAndJavacppLimitsOnly() {
        List<String> thisJvm = List.of(
                "-Xms1g",
                "-Xmx2g",
                "-XX:+AlwaysPreTouch",
                "-XX:+IgnoreUnrecognizedVMOptions",
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "-Dorg.bytedeco.javacpp.maxbytes=4g",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=0",
                "-Ddaair.root=/opt/daair");

        assertEquals(
                List.of(
                        "-Xms1g",
                        "-Xmx2g",
                        "-XX:+AlwaysPreTouch",
                        "-Dorg.bytedeco.javacpp.maxbytes=4g",
                        "-Dorg.bytedeco.javacpp.maxphysicalbytes=0"),
                BenchCommand.memoryOptions(thisJvm));
    }
}
