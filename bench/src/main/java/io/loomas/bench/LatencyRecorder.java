package io.loomas.bench;

import java.util.Arrays;

/** Round-trip times of one caller; not thread-safe (one caller writes it). */
final class LatencyRecorder {
    private final long[] samples;
    private int count;

    LatencyRecorder(int capacity) {
        samples = new long[capacity];
    }

    void record(long nanos) {
        if (count < samples.length) {
            samples[count++] = nanos;
        }
    }

    int count() {
        return count;
    }

    /** {@return the {@code q}-quantile (0..1) in microseconds} */
    double quantileMicros(double q) {
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int index = (int) Math.min(count - 1, Math.ceil(q * count) - 1);
        return sorted[Math.max(0, index)] / 1e3;
    }
}
