package io.daair.jobs.report;

import java.io.Serializable;

/**
 * An image of a benchmark that could not be evaluated (unreadable, empty, truncated, too small, or a pair of
 * different sizes): a row of the report instead of a failed run. It reaches the driver in a Spark accumulator.
 *
 * @param benchmark benchmark id
 * @param imageId the image's name within its benchmark
 * @param file the file at fault (the degraded one when it is a pair, unless the error names another)
 * @param reason why, in one line
 */
public record FailedImage(String benchmark, String imageId, String file, String reason) implements Serializable {}
