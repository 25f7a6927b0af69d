package io.daair.jobs.model;

import io.daair.data.image.ImageCodec;
import io.daair.data.image.RgbImage;
import io.daair.nn.DaairNet;
import io.daair.nn.config.NetConfig;
import io.daair.nn.io.WeightsIo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/** Fixtures of the job tests: a seeded tiny-preset model and small random images. */
public final class TestModels {

    private TestModels() {}

    /** A freshly built tiny-preset network (5 degradations), seeded, exported as safetensors to {@code file}. */
    public static Path tinySafetensors(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        WeightsIo.export(DaairNet.build(NetConfig.preset("tiny", 5), 7L), file);
        return file;
    }

    /** A smooth random w x h image (seeded), so that restoration and SSIM see some structure. */
    public static RgbImage image(int w, int h, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] chw = new float[3 * w * h];
        double[] base = {r.nextDouble(), r.nextDouble(), r.nextDouble()};
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double v = base[c] * 0.6
                            + 0.2 * Math.sin((x + 3 * c) / 3.0) * Math.cos(y / 4.0)
                            + 0.1 * r.nextDouble();
                    chw[(c * h + y) * w + x] = (float) Math.min(1, Math.max(0, v));
                }
            }
        }
        return new RgbImage(w, h, chw).quantised8();
    }

    /** Writes bytes to a Hadoop path. */
    public static void write(org.apache.hadoop.fs.Path target, byte[] bytes, Configuration conf) throws IOException {
        FileSystem fs = target.getFileSystem(conf);
        try (OutputStream out = fs.create(target, true)) {
            out.write(bytes);
        }
    }

    /** Writes an image as PNG to a Hadoop path. */
    public static void writePng(org.apache.hadoop.fs.Path target, RgbImage image, Configuration conf)
            throws IOException {
        write(target, ImageCodec.encodePng(image), conf);
    }
}
