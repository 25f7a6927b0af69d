package io.daair.jobs.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.daair.data.degrade.Degradation;
import io.daair.data.patch.PatchRecord;
import io.daair.jobs.model.ModelBundle;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * One serialization policy: daair runs on Spark's Java serialization (conf/spark keeps it, ConfFilesTest checks),
 * so the plain values it sends between driver and executors are records, and they survive it.
 */
class SparkSerializationTest {

    private static final SerializerInstance JAVA = new JavaSerializer(new SparkConf()).newInstance();
    private static final ClassTag<Object> TAG = ClassTag$.MODULE$.apply(Object.class);

    private static Object roundTrip(Object value) {
        return JAVA.deserialize(JAVA.serialize(value, TAG), TAG);
    }

    @Test
    void theValuesSentThroughSparkAreRecords() throws ClassNotFoundException {
        List<Class<?>> travelling = List.of(
                ModelBundle.class,
                Class.forName("io.daair.jobs.evaluate.EvalItem"),
                ImageResult.class,
                Gallery.Pick.class,
                Triptych.class,
                FailedImage.class,
                PatchRecord.class);
        assertEquals(
                List.of(),
                travelling.stream()
                        .filter(c -> !c.isRecord())
                        .map(Class::getSimpleName)
                        .toList());
    }

    @Test
    void resultsPicksAndTriptychsRoundTrip() {
        ImageResult result = SyntheticEvaluation.results().get(4);
        Gallery.Pick pick = new Gallery.Pick("worst", result);
        Triptych triptych = new Triptych(pick, new byte[] {1, 2}, new byte[] {3}, new byte[] {4, 5, 6});

        assertEquals(result, roundTrip(result));
        Triptych back = (Triptych) roundTrip(triptych);
        assertEquals(pick, back.pick());
        assertArrayEquals(new byte[] {4, 5, 6}, back.cleanPng());
    }

    @Test
    void modelBundlesAndPatchesRoundTrip() {
        ModelBundle bundle = new ModelBundle("hdfs:///m.safetensors", "{}", new byte[] {7, 8, 9});
        PatchRecord patch = new PatchRecord(
                "d", "/c.png", null, Degradation.HAZE, "{}", new byte[3], new byte[3], 1, 1, 5L, 0, 0, 0, 0);

        assertEquals(bundle, roundTrip(bundle));
        assertEquals(patch, roundTrip(patch));
    }
}
