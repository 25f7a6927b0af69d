package io.daair.nn.ops;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

/**
 * {@code daair_gelu}: exact GELU {@code gelu(a) = a * Phi(a) = 0.5 a (1 + erf(a / sqrt 2))}, or with a second input
 * the gated form of the GDFN {@code gelu(a) * b}, in one pass over the values with an analytic backward
 * ({@link Backward}). Composed from ND4J ops the gate took six passes, and libnd4j's {@code erf} alone was a sixth
 * of a {@code tiny} inference (docs/performance.md). erf is Eigen's rational approximation on [-4, 4] (within 7e-8
 * of erf in doubles, and +-1 in float beyond), which needs no exponential.
 */
public final class GeluOp extends JavaOp {

    /** Values per block: a few thousand, which stay in the first-level cache. */
    private static final int BLOCK = 4096;

    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    /** For graph copies and loads. */
    public GeluOp() {}

    /** {@code gelu(a)}. */
    public GeluOp(SameDiff sd, SDVariable a) {
        super(sd, new SDVariable[] {a});
    }

    /** {@code gelu(a) * b}, a and b of one shape. */
    public GeluOp(SameDiff sd, SDVariable a, SDVariable b) {
        super(sd, new SDVariable[] {a, b});
    }

    @Override
    public String opName() {
        return "daair_gelu";
    }

    @Override
    public int getNumOutputs() {
        return 1;
    }

    @Override
    public List<DataType> calculateOutputDataTypes(List<DataType> in) {
        return List.of(in.get(0));
    }

    @Override
    protected List<LongShapeDescriptor> shapes(List<INDArray> in) {
        return likeInputs(in, 1);
    }

    @Override
    protected void compute(List<INDArray> in, List<INDArray> out) {
        if (in.get(0).isEmpty()) {
            return; // an expert no sample was routed to
        }
        boolean gated = in.size() == 2;
        Values a = Values.of(in.get(0));
        Values b = gated ? Values.of(in.get(1)) : a;
        Values y = Values.of(out.get(0));
        long n = in.get(0).length();
        if (a.floats() != null && b.floats() != null && y.floats() != null) {
            forwardFloats(a.floats(), gated ? b.floats() : null, y.floats(), Math.toIntExact(n));
        } else {
            forwardDoubles(a, gated ? b : null, y, n);
        }
        y.finish();
    }

    /** y = gelu(a) (* b) in float arithmetic, block by block through the first-level cache. */
    private static void forwardFloats(FloatBuffer a, FloatBuffer b, FloatBuffer y, int n) {
        float[] av = new float[BLOCK];
        float[] bv = new float[BLOCK];
        Arrays.fill(bv, 1f); // without a gate
        for (int at = 0; at < n; at += BLOCK) {
            int len = Math.min(BLOCK, n - at);
            a.get(at, av, 0, len);
            if (b != null) {
                b.get(at, bv, 0, len);
            }
            for (int i = 0; i < len; i++) {
                float x = av[i];
                av[i] = x * 0.5f * (1f + erf(x * (float) SQRT_HALF)) * bv[i];
            }
            y.put(at, av, 0, len);
        }
    }

    private static void forwardDoubles(Values a, Values b, Values y, long n) {
        double[] av = new double[BLOCK];
        double[] bv = new double[BLOCK];
        Arrays.fill(bv, 1.0);
        for (long at = 0; at < n; at += BLOCK) {
            int len = (int) Math.min(BLOCK, n - at);
            a.read(at, av, len);
            if (b != null) {
                b.read(at, bv, len);
            }
            for (int i = 0; i < len; i++) {
                double x = av[i];
                av[i] = x * 0.5 * (1.0 + erf(x * SQRT_HALF)) * bv[i];
            }
            y.write(at, av, len);
        }
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> grads) {
        List<SDVariable> args = new ArrayList<>(List.of(args()));
        args.add(grads.get(0));
        return List.of(new Backward(sameDiff, args.toArray(SDVariable[]::new)).outputVariables());
    }

    // Eigen's generic_fast_erf_float: erf(c) = c P(c^2) / Q(c^2) on [-4, 4]
    private static final double P13 = -2.72614225801306e-10;
    private static final double P11 = 2.77068142495902e-08;
    private static final double P9 = -2.10102402082508e-06;
    private static final double P7 = -5.69250639462346e-05;
    private static final double P5 = -7.34990630326855e-04;
    private static final double P3 = -2.95459980854025e-03;
    private static final double P1 = -1.60960333262415e-02;
    private static final double Q8 = -1.45660718464996e-05;
    private static final double Q6 = -2.13374055278905e-04;
    private static final double Q4 = -1.68282697438203e-03;
    private static final double Q2 = -7.37332916720468e-03;
    private static final double Q0 = -1.42647390514189e-02;

    /**
     * erf(x), Eigen's {@code generic_fast_erf_float}: {@code c P(c^2) / Q(c^2)} for x clamped to [-4, 4] as c,
     * where erf is 1 to within float precision: within 5e-7 of erf in floats.
     */
    static float erf(float x) {
        float c = Math.max(-4f, Math.min(4f, x));
        float u = c * c;
        float p = (float) P13;
        p = p * u + (float) P11;
        p = p * u + (float) P9;
        p = p * u + (float) P7;
        p = p * u + (float) P5;
        p = p * u + (float) P3;
        p = p * u + (float) P1;
        float q = (float) Q8;
        q = q * u + (float) Q6;
        q = q * u + (float) Q4;
        q = q * u + (float) Q2;
        q = q * u + (float) Q0;
        return c * p / q;
    }

    /** The same in doubles, within 7e-8 of erf. */
    static double erf(double x) {
        double c = Math.max(-4.0, Math.min(4.0, x));
        double u = c * c;
        double p = ((((((P13 * u + P11) * u + P9) * u + P7) * u + P5) * u + P3) * u + P1);
        double q = ((((Q8 * u + Q6) * u + Q4) * u + Q2) * u + Q0);
        return c * p / q;
    }

    /**
     * {@code exp(-u)} for {@code u >= 0} in floats without a library call, which the JIT cannot vectorise: the
     * Taylor polynomial of degree 8 at {@code -u / 32}, raised to the 32nd power; u is held at 32 ({@code e^-32} is
     * 1e-14). Within 2e-6 of {@code e^-u} (float rounding, doubled by each squaring).
     */
    static float expNegative(float u) {
        float t = -Math.min(u, 32f) * (1f / 32f);
        float e = 1f
                + t
                        * (1f
                                + t
                                        * (1f / 2
                                                + t
                                                        * (1f / 6
                                                                + t
                                                                        * (1f / 24
                                                                                + t
                                                                                        * (1f / 120
                                                                                                + t
                                                                                                        * (1f / 720
                                                                                                                + t
                                                                                                                        * (1f
                                                                                                                                        / 5040
                                                                                                                                + t
                                                                                                                                        * (1f
                                                                                                                                                / 40320))))))));
        e *= e; // e^(2t)
        e *= e;
        e *= e;
        e *= e;
        e *= e; // e^(32t) = e^-u
        return e;
    }

    /**
     * {@code daair_gelu_bp}: from a, (b,) and dL/dy, the gradients of a (and b). With {@code gelu'(a) = Phi(a) + a
     * phi(a)}: {@code da = dy b gelu'(a)}, {@code db = dy gelu(a)} (without b, {@code da = dy gelu'(a)}).
     */
    public static final class Backward extends JavaOp {

        /** For graph copies and loads. */
        public Backward() {}

        /** a, dy or a, b, dy. */
        Backward(SameDiff sd, SDVariable[] in) {
            super(sd, in, in.length - 1); // the setting: how many gradients
        }

        @Override
        public String opName() {
            return "daair_gelu_bp";
        }

        @Override
        public int getNumOutputs() {
            return setting(0);
        }

        @Override
        public List<DataType> calculateOutputDataTypes(List<DataType> in) {
            return in.subList(0, in.size() - 1);
        }

        @Override
        protected List<LongShapeDescriptor> shapes(List<INDArray> in) {
            return likeInputs(in, in.size() - 1); // the gradients of a (and b)
        }

        @Override
        protected void compute(List<INDArray> in, List<INDArray> out) {
            if (in.get(0).isEmpty()) {
                return;
            }
            boolean gated = in.size() == 3;
            Values a = Values.of(in.get(0));
            Values b = gated ? Values.of(in.get(1)) : a;
            Values dy = Values.of(in.get(in.size() - 1));
            Values da = Values.of(out.get(0));
            Values db = gated ? Values.of(out.get(1)) : da;
            long n = in.get(0).length();
            if (Stream.of(a, b, dy, da, db).allMatch(v -> v.floats() != null)) {
                backwardFloats(
                        a.floats(),
                        gated ? b.floats() : null,
                        dy.floats(),
                        da.floats(),
                        db.floats(),
                        Math.toIntExact(n));
            } else {
                backwardDoubles(a, gated ? b : null, dy, da, gated ? db : null, n);
            }
            da.finish();
            if (gated) {
                db.finish();
            }
        }

        /**
         * da = dy (b) gelu'(a), db = dy gelu(a), in float arithmetic, block by block in loops short enough for the
         * JIT to vectorise (one loop computing everything was 5x slower).
         */
        private static void backwardFloats(
                FloatBuffer a, FloatBuffer b, FloatBuffer dy, FloatBuffer da, FloatBuffer db, int n) {
            float[] av = new float[BLOCK];
            float[] bv = new float[BLOCK];
            float[] dv = new float[BLOCK];
            float[] cdf = new float[BLOCK];
            float[] density = new float[BLOCK];
            float[] dbv = new float[BLOCK];
            Arrays.fill(bv, 1f); // without a gate
            for (int at = 0; at < n; at += BLOCK) {
                int len = Math.min(BLOCK, n - at);
                a.get(at, av, 0, len);
                dy.get(at, dv, 0, len);
                if (b != null) {
                    b.get(at, bv, 0, len);
                }
                for (int i = 0; i < len; i++) {
                    cdf[i] = 0.5f * (1f + erf(av[i] * (float) SQRT_HALF)); // Phi(a)
                }
                for (int i = 0; i < len; i++) {
                    float x = av[i];
                    density[i] = x * (float) INV_SQRT_2PI * expNegative(0.5f * x * x); // a phi(a)
                }
                for (int i = 0; i < len; i++) {
                    float d = dv[i];
                    float x = av[i];
                    av[i] = d * bv[i] * (cdf[i] + density[i]);
                    dbv[i] = d * x * cdf[i];
                }
                da.put(at, av, 0, len);
                if (b != null) {
                    db.put(at, dbv, 0, len);
                }
            }
        }

        private static void backwardDoubles(Values a, Values b, Values dy, Values da, Values db, long n) {
            double[] av = new double[BLOCK];
            double[] bv = new double[BLOCK];
            double[] dv = new double[BLOCK];
            double[] dbv = new double[BLOCK];
            Arrays.fill(bv, 1.0); // without a gate
            for (long at = 0; at < n; at += BLOCK) {
                int len = (int) Math.min(BLOCK, n - at);
                a.read(at, av, len);
                dy.read(at, dv, len);
                if (b != null) {
                    b.read(at, bv, len);
                }
                for (int i = 0; i < len; i++) {
                    double x = av[i];
                    double cdf = 0.5 * (1.0 + erf(x * SQRT_HALF));
                    double slope = cdf + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
                    av[i] = dv[i] * bv[i] * slope;
                    dbv[i] = dv[i] * x * cdf;
                }
                da.write(at, av, len);
                if (b != null) {
                    db.write(at, dbv, len);
                }
            }
        }
    }
}
