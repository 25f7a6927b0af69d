package io.daair.nn.infer;

/**
 * A restored image and the router's decision for it (paper Sec. 3.2: the DaLe routers' degradation
 * estimate).
 *
 * @param chw restored image [3, height, width] row-major (not clipped to [0, 1])
 * @param height rows, as given
 * @param width columns, as given
 * @param degradation argmax of {@code probabilities} (lowest index on ties: noise 0, rain 1, haze 2,
 *     blur 3, low light 4), or -1 for a network without experts
 * @param confidence {@code probabilities[degradation]}, NaN without experts
 * @param probabilities [E] router probabilities averaged over all DaLe routers (and over tiles when
 *     tiled); empty without experts
 */
public record RestoreResult(
        float[] chw, int height, int width, int degradation, double confidence, float[] probabilities) {}
