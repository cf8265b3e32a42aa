package io.loomas.runtime;

import io.loomas.runtime.internal.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A clock whose time moves only when {@link #setTime} is called, for co-simulation with other
 * systems that own the time.
 *
 * <p>Time starts at the given initial value (zero by default) and UTC dates are the start date plus
 * the clock time. {@link #setTime} must be strictly increasing; it fires every timer that became
 * due, in deadline order and, for equal deadlines, in the order they were scheduled. Tasks woken
 * that way run in that order. Deadlines at or before the current time are rejected, as are sleeps
 * of zero or negative length.
 *
 * <p>Thread-safe: time may be set from a task or from a thread outside any loop.
 */
public final class ExternalClock implements Clock {
    private final ManualTime time;

    /** Creates a clock at time zero whose UTC date starts at {@code utcStart}. */
    public ExternalClock(Instant utcStart) {
        this(utcStart, Duration.ZERO);
    }

    /** Creates a clock at {@code initialTime} whose UTC date at time zero is {@code utcStart}. */
    public ExternalClock(Instant utcStart, Duration initialTime) {
        this.time = ManualTime.external(utcStart, initialTime);
    }

    @Override
    public Duration now() {
        return time.now();
    }

    @Override
    public Instant utcNow() {
        return time.utcNow();
    }

    /**
     * Sets the clock to {@code newTime} and fires every timer due by then, in deadline order.
     *
     * @throws IllegalArgumentException if {@code newTime} is not later than the current time
     * @throws RuntimeException the first failure of a timer action (later ones suppressed in it),
     *     thrown once every due timer has fired
     */
    public void setTime(Duration newTime) {
        time.advanceTo(newTime, true);
    }

    /** Sets the clock so that {@link #utcNow()} is {@code date}; see {@link #setTime(Duration)}. */
    public void setTime(Instant date) {
        setTime(Duration.between(time.utcStart(), date));
    }

    /** {@return the clock time that corresponds to the UTC {@code date}} */
    public Duration timeOf(Instant date) {
        return Duration.between(time.utcStart(), date);
    }

    @Override
    public void sleep(Duration delay) {
        Clock.super.sleep(checkDelay(delay));
    }

    @Override
    public TimerHandle callLater(Duration delay, Runnable action) {
        return Clock.super.callLater(checkDelay(delay), action);
    }

    /** {@return the clock as its loop drives it} */
    TimeSource source() {
        return time;
    }

    private static Duration checkDelay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative() || delay.isZero()) {
            throw new IllegalArgumentException("delay must be positive: " + delay + " (expected: > 0)");
        }
        return delay;
    }

    @Override
    public TimerHandle schedule(Duration deadline, Runnable action) {
        return time.schedule(deadline, action);
    }

    /** {@return how many timers are waiting for their deadline} */
    public int pendingTimers() {
        return time.pendingTimers();
    }

    @Override
    public String toString() {
        return "ExternalClock[time=" + time.now() + ", utc=" + utcNow() + "]";
    }
}
