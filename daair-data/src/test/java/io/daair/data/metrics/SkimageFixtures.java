package io.daair.data.metrics;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The image pairs and scikit-image metrics in {@code src/test/resources/metrics}, written by
 * {@code tools/metrics/make_fixtures.py}.
 */
final class SkimageFixtures {

    /** One pair: CHW float32 images and what scikit-image computed on exactly those values. */
    record Case(String name, int width, int height, double psnr, double ssim) {
        float[] clean() {
            return image(name + ".clean.f32");
        }

        float[] test() {
            return image(name + ".test.f32");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private SkimageFixtures() {}

    static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(open("cases.tsv"), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("#") || line.startsWith("name\t")) {
                    continue;
                }
                String[] f = line.split("\t");
                cases.add(new Case(
                        f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), parseDouble(f[3]), parseDouble(f[4])));
            }
        }
        return cases;
    }

    private static double parseDouble(String s) {
        return s.equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(s);
    }

    private static float[] image(String file) {
        try (InputStream in = open(file)) {
            ByteBuffer bytes = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[bytes.remaining() / Float.BYTES];
            bytes.asFloatBuffer().get(values);
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String file) throws IOException {
        InputStream in = SkimageFixtures.class.getResourceAsStream("/metrics/" + file);
        if (in == null) {
            throw new IOException("Missing test resource metrics/" + file + ": rerun tools/metrics/make_fixtures.py");
        }
        return in;
    }
}
