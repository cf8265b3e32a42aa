package io.loomas.junit;

import io.loomas.runtime.VirtualClock;
import io.loomas.runtime.internal.ForwardingClock;

/**
 * A {@link VirtualClock} whose jumps on an idle loop can be stopped. When a test method returns its
 * loop goes idle, and a plain virtual clock would fire the timers the test left behind; stopped, it
 * keeps them pending so the kit can report them. Thread-safe.
 */
final class StoppableClock extends ForwardingClock {
    private final VirtualClock time;
    private volatile boolean stopped;

    StoppableClock() {
        this(new VirtualClock());
    }

    private StoppableClock(VirtualClock time) {
        super(time);
        this.time = time;
    }

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
    public boolean advanceWhenIdle() {
        return !stopped && super.advanceWhenIdle();
    }

    @Override
    public String toString() {
        return time + (stopped ? " (stopped)" : "");
    }
}
