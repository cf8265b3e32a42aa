package io.loomas.sim;

import io.loomas.runtime.Clock;
import io.loomas.runtime.TimerHandle;
import java.time.Duration;
import java.time.Instant;

/**
 * One node's view of the simulation's clock: monotonic time and timers are shared, but the wall
 * clock ({@link #utcNow()}) may be skewed and drift, as real hosts' clocks do.
 */
final class NodeClock implements Clock {
    private final SimClock shared;
    private volatile Duration skew = Duration.ZERO;
    private volatile double drift; // extra seconds per second of simulated time
    private volatile Duration driftSince = Duration.ZERO;

    NodeClock(SimClock shared) {
        this.shared = shared;
    }

    void skew(Duration offset, double driftPerSecond) {
        Duration now = shared.now();
        this.skew = offset;
        this.drift = driftPerSecond;
        this.driftSince = now;
    }

    @Override
    public Duration now() {
        return shared.now();
    }

    @Override
    public Instant utcNow() {
        Duration elapsed = shared.now().minus(driftSince);
        long driftNanos = (long) (elapsed.toNanos() * drift);
        return shared.utcNow().plus(skew).plusNanos(driftNanos);
    }

    @Override
    public TimerHandle schedule(Duration deadline, Runnable action) {
        return shared.schedule(deadline, action);
    }

    @Override
    public boolean advanceWhenIdle() {
        return shared.advanceWhenIdle();
    }

    @Override
    public String toString() {
        return "NodeClock[" + shared.now() + ", skew " + skew + ", drift " + drift + "]";
    }
}
