package io.daair.jobs.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** No input path can make the restore job write outside its output root. */
class OutputPathsTest {

    private final OutputPaths hdfs = new OutputPaths("hdfs://nn:8020/in", "hdfs://nn:8020/out", "png");

    @Test
    void keepsTheRelativePathAndReplacesTheExtension() {
        assertEquals(
                "hdfs://nn:8020/out/a/b/c.png",
                hdfs.target("hdfs://nn:8020/in/a/b/c.jpg").toString());
        assertEquals(
                "hdfs://nn:8020/out/x.tar.png",
                hdfs.target("hdfs://nn:8020/in/x.tar.JPEG").toString());
        assertEquals(
                "hdfs://nn:8020/out/noext.png",
                hdfs.target("hdfs://nn:8020/in/noext").toString());
        assertEquals(
                "hdfs://nn:8020/out/.hidden.png",
                hdfs.target("hdfs://nn:8020/in/.hidden").toString());
    }

    @Test
    void takesListedNamesLiterallySoPercentHashAndQuestionMarkSurvive() {
        OutputPaths local = new OutputPaths("file:/data/in", "file:/data/out", "png");
        assertEquals(
                "/data/out/my%20photos/a%20b.png",
                local.target("file:/data/in/my%20photos/a%20b.jpg").toUri().getPath());
        assertEquals(
                "/data/out/my photos/a b.png",
                local.target("file:/data/in/my photos/a b.jpg").toUri().getPath());
        assertEquals(
                "/data/out/hash#q?.png",
                local.target("file:/data/in/hash#q?.png").toUri().getPath());
        assertEquals(
                "/data/out/\u00fcn\u00efc\u00f6d\u00e9 \u5199\u771f.png",
                local.target("file:/data/in/\u00fcn\u00efc\u00f6d\u00e9 \u5199\u771f.jpg")
                        .toUri()
                        .getPath());
    }

    @Test
    void twoNamesNeverShareATargetUnlessOnlyTheirExtensionsDiffer() {
        OutputPaths local = new OutputPaths("file:/data/in", "file:/data/out", "png");
        assertNotEquals(local.targetOrNull("file:/data/in/hash#q?.png"), local.targetOrNull("file:/data/in/hash.png"));
        assertNotEquals(local.targetOrNull("file:/data/in/a%20b.png"), local.targetOrNull("file:/data/in/a b.png"));
    }

    @Test
    void aTargetStringNamesTheSameFileAsTheTarget() {
        OutputPaths local = new OutputPaths("file:/data/in", "file:/data/out", "png");
        for (String name : new String[] {"a%20b.png", "hash#q?.png", "x:y.png", "a b.png", "%.png"}) {
            org.apache.hadoop.fs.Path target = local.target("file:/data/in/" + name);
            assertEquals(target, new org.apache.hadoop.fs.Path(local.targetOrNull("file:/data/in/" + name)), name);
        }
    }

    @Test
    void noInputIsWrittenIntoTheManifestFolder() {
        OutputPaths.UnsafePathException e = assertThrows(
                OutputPaths.UnsafePathException.class, () -> hdfs.target("hdfs://nn:8020/in/_manifest/a.png"));
        assertTrue(e.getMessage().contains("_manifest"), e.getMessage());
        assertEquals(
                "/out/sub/_manifest/a.png",
                hdfs.target("hdfs://nn:8020/in/sub/_manifest/a.png").toUri().getPath());
    }

    @Test
    void namesWithColonsOrPercentStayInsideTheRoot() {
        OutputPaths local = new OutputPaths("/data/in", "/data/out", "png");
        assertEquals(
                "/data/out/a:b.png", local.target("/data/in/a:b.jpg").toUri().getPath());
        OutputPaths s3 = new OutputPaths("s3a://bucket/in", "s3a://bucket/out", "png");
        assertEquals(
                "/out/x/a:b.png", s3.target("s3a://bucket/in/x/a:b.jpg").toUri().getPath());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "hdfs://nn:8020/in/../out2/x.png",
                "hdfs://nn:8020/in/../../etc/passwd",
                "hdfs://nn:8020/inside/x.png",
                "hdfs://nn:8020/other/x.png",
                "hdfs://nn:8020/in",
                "hdfs://nn:8020/in/",
            })
    void rejectsFilesNotUnderTheInputRoot(String file) {
        assertThrows(OutputPaths.UnsafePathException.class, () -> hdfs.target(file));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x.png", "a/../../x.png", "..", "/etc/passwd", "\\x.png", ".", "./", "a/\u0001.png"})
    void rejectsRelativePathsThatLeaveTheRoot(String relative) {
        assertThrows(OutputPaths.UnsafePathException.class, () -> OutputPaths.under("/data/out", relative, "png"));
    }

    @Test
    void normalisesHarmlessDotsAndSlashes() {
        assertEquals(
                "a/c.png",
                OutputPaths.under("/data/out", "a/b/../c.jpg", "png")
                        .toUri()
                        .getPath()
                        .substring("/data/out/".length()));
        assertEquals(
                "/data/out/a/b.png",
                OutputPaths.under("/data/out/", "./a//b.jpg", "png").toUri().getPath());
    }

    @Test
    void everyTargetLiesUnderTheOutputRoot() {
        String[] tricky = {"a/b.png", "a/./b.png", "a/b/../c.png", "x%2F..%2F..%2Fy.png", "..a/b.png", "a..png"};
        for (String rel : tricky) {
            String p =
                    OutputPaths.under("hdfs://nn:8020/out", rel, "png").toUri().getPath();
            assertTrue(p.startsWith("/out/"), rel + " -> " + p);
        }
    }
}
