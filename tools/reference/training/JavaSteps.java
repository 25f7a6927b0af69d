import io.daair.nn.config.*;
import io.daair.nn.train.*;
import io.daair.nn.io.*;
import java.nio.file.*;
import java.util.*;

/**
 * Trains the tiny network (E = 5, seed 42) for N Adam steps on seeded synthetic batches (B = 4, 64x64:
 * sinusoids; noise, streaks, haze, low contrast, darkening by label) and writes what PyTorch needs to
 * replay them: init.safetensors (the initial weights), batches.safetensors, java-losses.txt.
 * Usage: java -cp daair.jar:provided.jar:. JavaSteps N LR   (warm-up 5 steps, then cosine)
 */
public class JavaSteps {
    public static void main(String[] a) throws Exception {
        int steps = Integer.parseInt(a[0]);
        double lr = Double.parseDouble(a[1]);
        int B = 4, S = 64;
        NetConfig cfg = NetConfig.preset("tiny", 5);
        OptimConfig oc = new OptimConfig(lr, 0.9, 0.999, 1e-8, 5, steps);
        try (LocalTrainer t = new LocalTrainer(cfg, oc, 42)) {
            WeightsIo.export(t.net(), Path.of("init.safetensors"));
            SplittableRandom rnd = new SplittableRandom(7);
            Map<String, Safetensors.Tensor> batches = new TreeMap<>();
            StringBuilder sb = new StringBuilder();
            for (int s = 0; s < steps; s++) {
                int n = B * 3 * S * S;
                float[] clean = new float[n], deg = new float[n];
                int[] labels = new int[B];
                for (int b = 0; b < B; b++) {
                    int lab = rnd.nextInt(5); labels[b] = lab;
                    double fx = rnd.nextDouble() * 0.3, fy = rnd.nextDouble() * 0.3, ph = rnd.nextDouble() * 6;
                    for (int c = 0; c < 3; c++) for (int y = 0; y < S; y++) for (int x = 0; x < S; x++) {
                        int i = ((b * 3 + c) * S + y) * S + x;
                        double v = 0.5 + 0.4 * Math.sin(fx * x + fy * y + ph + c);
                        clean[i] = (float) v;
                        double d = switch (lab) {
                            case 0 -> v + rnd.nextGaussian() * 0.1;
                            case 1 -> ((x + 2 * y) % 9 == 0) ? 0.95 : v;
                            case 2 -> 0.5 * v + 0.45;
                            case 3 -> 0.5 + 0.3 * Math.sin(fx * x + fy * y + ph + c);
                            default -> 0.2 * v;
                        };
                        deg[i] = (float) Math.max(0, Math.min(1, d));
                    }
                }
                float[] lf = new float[B]; for (int b = 0; b < B; b++) lf[b] = labels[b];
                batches.put(String.format("deg.%03d", s), new Safetensors.Tensor(new long[] {B, 3, S, S}, deg));
                batches.put(String.format("clean.%03d", s), new Safetensors.Tensor(new long[] {B, 3, S, S}, clean));
                batches.put(String.format("labels.%03d", s), new Safetensors.Tensor(new long[] {B}, lf));
                StepResult r = t.step(new Minibatch(deg, clean, labels, B, S, S));
                sb.append(s).append(' ').append(r.loss()).append(' ').append(r.auxLoss()).append('\n');
                System.out.println("step " + s + " loss " + r.loss() + " aux " + r.auxLoss() + " lr " + oc.learningRate(s));
            }
            Safetensors.write(Path.of("batches.safetensors"), batches, Map.of());
            Files.writeString(Path.of("java-losses.txt"), sb);
        }
    }
}
