package io.daair.nn.train;

/**
 * Everything parameter averaging needs, as flat arrays over {@code DaairNet.parameterNames()} in order
 * (each parameter in C order of its SameDiff layout, see {@code Graph}).
 *
 * @param params trainable parameters
 * @param adamM Adam first moments, aligned with params
 * @param adamV Adam second moments, aligned with params
 * @param controllers controller parameters over {@code DaairNet.controllerNames()}
 * @param iteration optimizer steps taken (drives the learning-rate schedule and Adam's bias correction)
 */
public record TrainState(float[] params, float[] adamM, float[] adamV, float[] controllers, long iteration)
        implements java.io.Serializable {}
