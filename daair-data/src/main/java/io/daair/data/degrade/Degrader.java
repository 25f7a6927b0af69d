package io.daair.data.degrade;

import io.daair.data.image.RgbImage;

/**
 * Makes a degraded version of a clean image. Implementations are deterministic in {@code seed}, keep the size,
 * and return an image quantised to 8 bits (the patches are stored as 8-bit), with the drawn parameters.
 */
public interface Degrader {

    /** The degradation this produces. */
    Degradation kind();

    /** Degrades {@code clean} with the random stream of {@code seed}. */
    Degraded apply(RgbImage clean, long seed);
}
