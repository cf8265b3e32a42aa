package io.loomas.runtime.internal;

import io.loomas.runtime.Clock;
import io.loomas.runtime.TimerHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A clock that forwards the primitives (time, dates, timers, deadline check, idle advance) to
 * another, for clocks that change one of them: the simulation's, a node's skewed wall clock, the
 * test kit's stoppable clock.
 *
 * <p>Only the primitives are forwarded: sleeps and delayed calls are built on them by
 * {@link Clock}, so an overridden {@link #schedule} sees every timer. Thread-safe if the
 * overrides are.
 */
public abstract class ForwardingClock implements TimeSource {
    private final Clock delegate;
    private final TimeSource source;

    protected ForwardingClock(Clock delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.source = TimeSource.of(delegate);
    }

    /** {@return the clock this one forwards to} */
    protected final Clock delegate() {
        return delegate;
    }

    @Override
    public Duration now() {
        return delegate.now();
    }

    @Override
    public Instant utcNow() {
        return delegate.utcNow();
    }

    @Override
    public TimerHandle schedule(Duration deadline, Runnable action) {
        return delegate.schedule(deadline, action);
    }

    @Override
    public Duration checkDeadline(Duration time) {
        return source.checkDeadline(time);
    }

    @Override
    public boolean advanceWhenIdle() {
        return source.advanceWhenIdle();
    }
}
