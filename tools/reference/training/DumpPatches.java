import io.daair.nn.config.*;
import io.daair.nn.train.*;
import io.daair.nn.io.*;
import io.daair.data.degrade.Degradation;
import org.apache.spark.sql.*;
import java.nio.file.*;
import java.util.*;

/**
 * Dumps the patches of a {@code daair prepare} run for train_patches.py: patches.safetensors ({@code deg} and
 * {@code clean} (N, 3, S, S) in [0, 1], {@code labels} (N)) and init.safetensors, the tiny E = 5 network as the
 * Java trainer initialises it (seed 42, the demo's). Spark local mode reads the Parquet folder.
 * Usage: java $(cat jvm-flags.txt) -cp daair.jar:provided.jar:. DumpPatches PATCH_DIR (see ../README.md)
 */
public class DumpPatches {
    public static void main(String[] a) throws Exception {
        SparkSession spark = SparkSession.builder().master("local[1]").getOrCreate();
        List<Row> rows = spark.read().parquet(a[0]).select("degraded", "clean", "degradation", "height", "width").collectAsList();
        int n = rows.size(), S = rows.get(0).getInt(3);
        float[] deg = new float[n * 3 * S * S], clean = new float[n * 3 * S * S], lab = new float[n];
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            byte[] d = (byte[]) r.get(0), c = (byte[]) r.get(1);
            for (int j = 0; j < d.length; j++) { deg[i * d.length + j] = (d[j] & 255) / 255f; clean[i * d.length + j] = (c[j] & 255) / 255f; }
            lab[i] = Degradation.fromId(r.getString(2)).ordinal();
        }
        Map<String, Safetensors.Tensor> t = new TreeMap<>();
        t.put("deg", new Safetensors.Tensor(new long[] {n, 3, S, S}, deg));
        t.put("clean", new Safetensors.Tensor(new long[] {n, 3, S, S}, clean));
        t.put("labels", new Safetensors.Tensor(new long[] {n}, lab));
        Safetensors.write(Path.of("patches.safetensors"), t, Map.of());
        try (LocalTrainer tr = new LocalTrainer(NetConfig.preset("tiny", 5), new OptimConfig(1e-3, 0.9, 0.999, 1e-8, 5, 10), 42)) {
            WeightsIo.export(tr.net(), Path.of("init.safetensors"));
        }
        System.out.println("patches " + n + " size " + S);
        spark.stop();
    }
}
