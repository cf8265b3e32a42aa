package io.loomas.sim;

import io.loomas.runtime.internal.ForwardingClock;
import java.time.Duration;
import java.time.Instant;

/**
 * One node's view of the simulation's clock: monotonic time and timers are shared, but the wall
 * clock ({@link #utcNow()}) may be skewed and drift, as real hosts' clocks do.
 */
final class NodeClock extends ForwardingClock {
    private final SimClock shared;
    private volatile Duration skew = Duration.ZERO;
    private volatile double drift; // extra seconds per second of simulated time
    private volatile Duration driftSince = Duration.ZERO;

    NodeClock(SimClock shared) {
        super(shared);
        this.shared = shared;
    }

    void skew(Duration offset, double driftPerSecond) {
        Duration now = shared.now();
        this.skew = offset;
        this.drift = driftPerSecond;
        this.driftSince = now;
    }

    @Override
    public Instant utcNow() {
        Duration elapsed = shared.now().minus(driftSince);
        long driftNanos = (long) (elapsed.toNanos() * drift);
        return shared.utcNow().plus(skew).plusNanos(driftNanos);
    }

    @Override
    public String toString() {
        return "NodeClock[" + shared.now() + ", skew " + skew + ", drift " + drift + "]";
    }
}
