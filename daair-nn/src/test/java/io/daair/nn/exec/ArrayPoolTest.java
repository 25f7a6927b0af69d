package io.daair.nn.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The memory a session's released arrays leave for the next ones. */
class ArrayPoolTest {

    @Test
    void aReleasedBufferServesTheNextArrayOfItsTypeAndLengthInAnyShape() {
        ArrayPool pool = new ArrayPool();
        pool.startPass();
        INDArray first = pool.allocate(false, DataType.FLOAT, 4, 6);
        DataBuffer memory = first.data();
        pool.release(first);
        assertTrue(pool.holds(memory));

        assertNotSame(memory, pool.allocate(false, DataType.DOUBLE, 4, 6).data(), "another type");
        assertNotSame(memory, pool.allocate(false, DataType.FLOAT, 5, 6).data(), "another length");
        INDArray next = pool.allocate(false, DataType.FLOAT, 2, 3, 4);
        assertSame(memory, next.data());
        assertFalse(pool.holds(memory), "handed out twice");
        assertArrayEquals(new long[] {2, 3, 4}, next.shape());
        assertEquals('c', next.ordering());
        next.assign(Nd4j.linspace(DataType.FLOAT, 1, 24, 1).reshape(2, 3, 4));
        assertEquals(24f, next.getFloat(1, 2, 3));
        pool.close();
    }

    @Test
    void aBufferNoRequestTookForAWholePassIsFreed() {
        ArrayPool pool = new ArrayPool();
        pool.startPass();
        INDArray unused = pool.allocate(false, DataType.FLOAT, 8);
        INDArray reused = pool.allocate(false, DataType.FLOAT, 16);
        DataBuffer unusedMemory = unused.data();
        pool.release(unused);
        pool.release(reused);

        pool.startPass(); // the second pass asks for 16 floats only, and gives them back
        INDArray again = pool.allocate(false, DataType.FLOAT, 16);
        pool.release(again);
        assertTrue(pool.holds(unusedMemory), "freed before a whole pass went by");

        pool.startPass();
        assertTrue(unusedMemory.wasClosed(), "8 floats idle through the second pass, still held");
        assertFalse(pool.holds(unusedMemory));
        assertTrue(pool.holds(again.data()), "used in the last pass, freed");
        pool.close();
        assertTrue(again.data().wasClosed());
    }

    @Test
    void viewsAreNeverPooledOrClosed() {
        ArrayPool pool = new ArrayPool();
        pool.startPass();
        INDArray owner = Nd4j.linspace(DataType.FLOAT, 1, 12, 1).reshape(3, 4);
        INDArray row = owner.getRow(1);
        pool.release(row);
        assertFalse(pool.holds(owner.data()));
        assertFalse(owner.wasClosed());
        assertEquals(5f, row.getFloat(0));
        assertNotSame(owner.data(), pool.allocate(false, DataType.FLOAT, 4).data());
        pool.close();
    }
}
