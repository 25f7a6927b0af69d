package io.daair.nn.ops;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Element access to an array's values as one c-order sequence: its own buffer when the array is plain (c-order,
 * no offset, the whole buffer), else a plain copy, written back by {@link #finish()}.
 */
abstract class Values {
    private final INDArray target;
    private final INDArray plain;

    private Values(INDArray target, INDArray plain) {
        this.target = target;
        this.plain = plain;
    }

    static Values of(INDArray a) {
        INDArray p = DepthwiseOp.plain(a, a.dataType() == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT);
        return p.dataType() == DataType.DOUBLE ? new Doubles(a, p) : new Floats(a, p);
    }

    /** The values when they are floats, else null. */
    FloatBuffer floats() {
        return null;
    }

    abstract void read(long at, double[] into, int length);

    abstract void write(long at, double[] from, int length);

    /** Writes a copy back into the array it stands for. */
    void finish() {
        if (plain != target) {
            target.assign(plain);
        }
    }

    private static final class Floats extends Values {
        private final FloatBuffer buffer;
        private float[] scratch = new float[0];

        Floats(INDArray target, INDArray plain) {
            super(target, plain);
            buffer = plain.data().asNioFloat();
        }

        @Override
        FloatBuffer floats() {
            return buffer;
        }

        @Override
        void read(long at, double[] into, int length) {
            float[] s = scratch(length);
            buffer.get(Math.toIntExact(at), s, 0, length);
            for (int i = 0; i < length; i++) {
                into[i] = s[i];
            }
        }

        @Override
        void write(long at, double[] from, int length) {
            float[] s = scratch(length);
            for (int i = 0; i < length; i++) {
                s[i] = (float) from[i];
            }
            buffer.put(Math.toIntExact(at), s, 0, length);
        }

        private float[] scratch(int length) {
            if (scratch.length < length) {
                scratch = new float[length];
            }
            return scratch;
        }
    }

    private static final class Doubles extends Values {
        private final DoubleBuffer buffer;

        Doubles(INDArray target, INDArray plain) {
            super(target, plain);
            buffer = plain.data().asNioDouble();
        }

        @Override
        void read(long at, double[] into, int length) {
            buffer.get(Math.toIntExact(at), into, 0, length);
        }

        @Override
        void write(long at, double[] from, int length) {
            buffer.put(Math.toIntExact(at), from, 0, length);
        }
    }
}
