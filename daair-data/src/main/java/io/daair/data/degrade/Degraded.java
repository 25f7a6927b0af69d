package io.daair.data.degrade;

import io.daair.data.image.RgbImage;

/** A degraded image and the parameters that made it. */
public record Degraded(RgbImage image, DegradationParams params) {}
