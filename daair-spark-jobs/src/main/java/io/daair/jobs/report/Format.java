package io.daair.jobs.report;

import java.util.Locale;

/** How the reports print numbers: PSNR with 2 decimals (dB), SSIM with 3, like the paper's tables. */
final class Format {

    static final String NONE = "–";

    private Format() {}

    static String psnr(double db) {
        return number(db, "%.2f");
    }

    static String ssim(double ssim) {
        return number(ssim, "%.3f");
    }

    /** A signed gain in dB, e.g. {@code +3.21}. */
    static String gain(double db) {
        return number(db, "%+.2f");
    }

    static String percent(double fraction) {
        return number(100 * fraction, "%.1f%%");
    }

    static String millis(double ms) {
        return number(ms, "%.0f");
    }

    /** A PSNR / SSIM pair: {@code 31.26 / 0.884}. */
    static String score(Score s) {
        return psnr(s.psnr()) + " / " + ssim(s.ssim());
    }

    /** A cell of the paper-style table, as the paper prints it: {@code 31.26/.884}. */
    static String paperCell(Score s) {
        String ssim = ssim(s.ssim());
        return psnr(s.psnr()) + "/" + (ssim.startsWith("0.") ? ssim.substring(1) : ssim);
    }

    static String number(double v, String pattern) {
        if (Double.isNaN(v)) {
            return NONE;
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "−∞";
        }
        return String.format(Locale.ROOT, pattern, v);
    }
}
