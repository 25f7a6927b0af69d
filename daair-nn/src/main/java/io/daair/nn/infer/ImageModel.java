package io.daair.nn.infer;

/**
 * One forward pass of the network on a single image whose height and width are multiples of 8: what
 * {@link Restorer} needs from a model, so that padding and tiling are testable without one.
 */
@FunctionalInterface
public interface ImageModel {

    /**
     * The restored image and the router probabilities averaged over every DaLe router.
     *
     * @param chw restored image, [3, H, W] row-major
     * @param probabilities [E], mean over routers of softmax(router logits); empty without experts
     */
    record Output(float[] chw, float[] probabilities) {}

    /**
     * Runs the network.
     *
     * @param chw input image [3, height, width] row-major, values in [0, 1]
     * @param height multiple of 8
     * @param width multiple of 8
     */
    Output forward(float[] chw, int height, int width);
}
