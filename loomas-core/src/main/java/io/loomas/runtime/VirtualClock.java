package io.loomas.runtime;

import io.loomas.runtime.internal.TimeSource;
import java.time.Duration;
import java.time.Instant;

/**
 * A clock whose time jumps to the next timer when its loop has nothing else to do, so that code
 * which sleeps an hour of clock time finishes in microseconds of wall time.
 *
 * {@snippet class="io.loomas.snippets.RuntimeSnippets" region="virtual-clock"}
 *
 * <p>Time moves only when a loop using this clock is idle (no task runs or is ready, no
 * {@link Loop#offload} work is in flight), or when {@link #advance} is called: then it jumps to the
 * earliest timer, and that timer's tasks run. Timers with equal deadlines fire in the order they
 * were set. Unlike an {@link ExternalClock}, deadlines in the past and zero sleeps are allowed (they
 * fire at once), as with the system clock, so the same code runs under both.
 *
 * <p>Time also jumps while a task waits for a reply from a real socket or the local transport: in
 * virtual time, a peer's reply has no duration. Give such waits no timeouts, or use a simulation,
 * whose network runs on the same virtual time.
 *
 * <p>Thread-safe.
 */
public final class VirtualClock implements Clock {
    private final ManualTime time;

    /** Creates a clock at time zero whose UTC date starts at 2000-01-01T00:00:00Z. */
    public VirtualClock() {
        this(Instant.parse("2000-01-01T00:00:00Z"));
    }

    /** Creates a clock at time zero whose UTC date starts at {@code utcStart}. */
    public VirtualClock(Instant utcStart) {
        this.time = ManualTime.virtual(utcStart);
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

    /**
     * Moves the time forward by {@code delta}, firing every timer due by then in deadline order.
     *
     * @throws IllegalArgumentException if {@code delta} is negative
     */
    public void advance(Duration delta) {
        if (delta.isNegative()) {
            throw new IllegalArgumentException("delta must not be negative: " + delta + " (expected: >= 0)");
        }
        time.advanceTo(time.now().plus(delta), false);
    }

    /** {@return how many timers are waiting for their deadline} */
    public int pendingTimers() {
        return time.pendingTimers();
    }

    /** {@return the earliest deadline of a waiting timer, or null if none waits} */
    public Duration nextDeadline() {
        return time.nextDeadline();
    }

    /** {@return the clock as its loop drives it} */
    TimeSource source() {
        return time;
    }

    @Override
    public String toString() {
        return "VirtualClock[time=" + time.now() + "]";
    }
}
