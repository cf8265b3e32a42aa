package io.loomas.runtime.internal;

import io.loomas.runtime.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * A clock as its loop drives it: besides the time API every {@link Clock} offers, the check of a
 * deadline and the move of virtual time when no task can run.
 *
 * <p>Every clock is a time source or is backed by one ({@link #of}): loomas' own clocks, the
 * simulation's and the test kit's. Users never implement it; they pick a clock from
 * {@link Clock#system()}, {@code new VirtualClock()}, {@code new ExternalClock(...)} or a
 * simulation.
 */
public non-sealed interface TimeSource extends Clock {

    /**
     * Checks a deadline given to {@link #sleepUntil} or {@link #callAt}; the default accepts any.
     *
     * @return the deadline to use
     * @throws IllegalArgumentException if this clock rejects the deadline
     */
    default Duration checkDeadline(Duration time) {
        return Objects.requireNonNull(time, "time");
    }

    /**
     * Called by a loop using this clock when none of its tasks can run. Virtual time moves to its
     * next timer and fires it; real and external time does nothing.
     *
     * @return whether time moved
     */
    default boolean advanceWhenIdle() {
        return false;
    }

    /** {@return the time source behind {@code clock}} */
    static TimeSource of(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        return clock instanceof TimeSource source ? source : RuntimeAccess.get().timeSource(clock);
    }
}
