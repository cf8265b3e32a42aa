package io.loomas.bench;

/** Calls completed in a measured stretch of time. */
record Measurement(long calls, long nanos) {
    double perSecond() {
        return calls * 1e9 / nanos;
    }
}
