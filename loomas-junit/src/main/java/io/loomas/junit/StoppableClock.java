package io.loomas.junit;

import io.loomas.runtime.Clock;
import io.loomas.runtime.TimerHandle;
import io.loomas.runtime.VirtualClock;
import java.time.Duration;
import java.time.Instant;

/**
 * A {@link VirtualClock} whose jumps on an idle loop can be stopped. When a test method returns its
 * loop goes idle, and a plain virtual clock would fire the timers the test left behind; stopped, it
 * keeps them pending so the kit can report them. Thread-safe.
 */
final class StoppableClock implements Clock {
    private final VirtualClock time = new VirtualClock();
    private volatile boolean stopped;

    VirtualClock virtualClock() {
        return time;
    }

    void stop() {
        stopped = true;
    }

    /** Lets time move again: shutting the loop down measures its grace period on this clock. */
    void resume() {
        stopped = false;
    }

    @Override
    public Duration now() {
        return time.now();
    }

    @Override
    public Instant utcNow() {
        return time.utcNow();
    }

    @Override
    public TimerHandle schedule(Duration deadline, Runnable action) {
        return time.schedule(deadline, action);
    }

    @Override
    public Duration checkDeadline(Duration deadline) {
        return time.checkDeadline(deadline);
    }

    @Override
    public boolean advanceWhenIdle() {
        return !stopped && time.advanceWhenIdle();
    }

    @Override
    public String toString() {
        return time + (stopped ? " (stopped)" : "");
    }
}
