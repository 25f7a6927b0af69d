package io.daair.nn.train;

/**
 * What one optimizer step measured, before the update.
 *
 * @param loss L1 + lambda * auxLoss
 * @param auxLoss mean router cross-entropy over all DaLe routers (0 without experts)
 * @param routerAccuracy fraction of (router, sample) pairs whose top-1 expert is the sample's label
 * @param samples batch size
 */
public record StepResult(double loss, double auxLoss, double routerAccuracy, int samples) {}
