package io.daair.jobs.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.Serializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/** What the evaluate job sends between executors and driver survives Spark's serializers, Kryo included. */
class SparkSerializationTest {

    static List<Serializer> serializers() {
        return List.of(new KryoSerializer(new SparkConf()), new JavaSerializer(new SparkConf()));
    }

    @ParameterizedTest
    @MethodSource("serializers")
    void resultsPicksAndTriptychsRoundTrip(Serializer serializer) {
        SerializerInstance s = serializer.newInstance();
        ClassTag<Object> tag = ClassTag$.MODULE$.apply(Object.class);
        ImageResult result = SyntheticEvaluation.results().get(4);
        Gallery.Pick pick = new Gallery.Pick("worst", result);
        Triptych triptych = new Triptych(pick, new byte[] {1, 2}, new byte[] {3}, new byte[] {4, 5, 6});

        assertEquals(result, s.deserialize(s.serialize(result, tag), tag));
        Triptych back = (Triptych) s.deserialize(s.serialize(triptych, tag), tag);
        assertEquals(pick, back.pick());
        assertArrayEquals(new byte[] {4, 5, 6}, back.cleanPng());
    }
}
