package io.daair.jobs.report;

/**
 * A PSNR (dB) / SSIM pair, as the paper's tables print them.
 *
 * @param psnr PSNR in dB
 * @param ssim SSIM
 */
public record Score(double psnr, double ssim) {}
