package io.daair.nn.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
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

    @Test
    void aReshapedArraySharesItsMemoryWhichReturnsOnlyWhenBothAreReleased() {
        ArrayPool pool = new ArrayPool();
        pool.startPass();
        INDArray rows = pool.allocate(false, DataType.FLOAT, 6, 4);
        rows.assign(Nd4j.linspace(DataType.FLOAT, 1, 24, 1).reshape(6, 4));
        INDArray image = pool.reshaped(rows, new long[] {1, 2, 3, 4});
        assertSame(rows.data(), image.data(), "a view, not a copy");
        assertEquals(24f, image.getFloat(0, 1, 2, 3));

        pool.release(rows); // first release: the reshaped array still reads this memory
        assertFalse(pool.holds(rows.data()));
        assertNotSame(rows.data(), pool.allocate(false, DataType.FLOAT, 24).data());
        assertEquals(24f, image.getFloat(0, 1, 2, 3));
        pool.release(image);
        assertTrue(pool.holds(image.data()), "both released: the memory is reused");
        pool.close();
    }

    @Test
    void onlyArraysOfThisPassInPlainOrderAreReshapedWithoutACopy() {
        ArrayPool pool = new ArrayPool();
        pool.startPass();
        INDArray parameter = Nd4j.rand(DataType.FLOAT, 4, 6); // not handed out by the pool
        assertNull(pool.reshaped(parameter, new long[] {24}));
        INDArray issued = pool.allocate(false, DataType.FLOAT, 4, 6);
        assertNull(pool.reshaped(issued.transpose(), new long[] {24}), "transposed: a reshape must copy");
        assertNull(pool.reshaped(issued.getRow(1), new long[] {6}), "a view of part of the memory");

        pool.startPass(); // the last pass's arrays belong to the caller now (an output it was given)
        assertNull(pool.reshaped(issued, new long[] {24}));
        pool.release(issued);
        assertTrue(pool.holds(issued.data()));
        pool.close();
    }
}
