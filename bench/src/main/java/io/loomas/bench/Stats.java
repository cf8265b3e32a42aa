package io.loomas.bench;

import java.util.Arrays;
import java.util.Locale;

/** Medians, quantiles and the number formats of the tables. */
final class Stats {
    private Stats() {}

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** {@code q}-quantile of sorted values. */
    static double quantile(long[] sorted, double q) {
        int index = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
        return sorted[index];
    }

    /** {@return "123.4k (120.0k–125.1k)": median and range of calls per second} */
    static String rate(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        if (v.length == 1) {
            return count(v[0]);
        }
        return count(median(v)) + " (" + count(v[0]) + "–" + count(v[v.length - 1]) + ")";
    }

    /** {@return "125 (118–131)": median and range of microseconds} */
    static String micros(double[] values) {
        return wholeMedianAndRange(values);
    }

    /** {@return "1830 (1790–1902)": median and range of bytes} */
    static String bytes(double[] values) {
        return wholeMedianAndRange(values);
    }

    private static String wholeMedianAndRange(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        if (v.length == 1) {
            return String.format(Locale.ROOT, "%.0f", v[0]);
        }
        return String.format(Locale.ROOT, "%.0f (%.0f–%.0f)", median(v), v[0], v[v.length - 1]);
    }

    static String count(double x) {
        if (x >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", x / 1e6);
        }
        if (x >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", x / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", x);
    }
}
