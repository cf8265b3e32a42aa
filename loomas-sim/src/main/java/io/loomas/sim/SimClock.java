package io.loomas.sim;

import io.loomas.runtime.TimerHandle;
import io.loomas.runtime.VirtualClock;
import io.loomas.runtime.internal.ForwardingClock;
import java.time.Duration;
import java.time.Instant;

/**
 * The simulation's clock: virtual time that jumps when every task waits, and notices when nothing
 * can ever happen again (every task waits and no timer is pending): a deadlock.
 */
final class SimClock extends ForwardingClock {
    private final VirtualClock time;
    private final Trace trace;
    private final Runnable onDeadlock;
    private final java.util.function.Consumer<Duration> onLimit;
    private volatile Duration limit; // null: none
    private volatile boolean frozen;
    private volatile Runnable onIdleWhileFrozen = () -> {};

    SimClock(Instant utcStart, Trace trace, Runnable onDeadlock, java.util.function.Consumer<Duration> onLimit) {
        this(new VirtualClock(utcStart), trace, onDeadlock, onLimit);
    }

    private SimClock(VirtualClock time, Trace trace, Runnable onDeadlock, java.util.function.Consumer<Duration> onLimit) {
        super(time);
        this.time = time;
        this.trace = trace;
        this.onDeadlock = onDeadlock;
        this.onLimit = onLimit;
    }

    /** Sets the virtual time the clock does not move past ({@code null}: none); reaching it calls onLimit. */
    void limit(Duration limit) {
        this.limit = limit;
    }

    @Override
    public TimerHandle schedule(Duration deadline, Runnable action) {
        // Sleeps, timeouts and callbacks show in the trace when they fire.
        return super.schedule(deadline, () -> {
            trace.add(time.now(), "timer", "due at " + deadline);
            action.run();
        });
    }

    /** Schedules without a trace event: for the network, whose deliveries have events of their own. */
    TimerHandle scheduleUntraced(Duration deadline, Runnable action) {
        return time.schedule(deadline, action);
    }

    /** Stops time: from now on an idle loop reports that it is idle instead of moving on. */
    void freeze(Runnable onIdle) {
        onIdleWhileFrozen = onIdle;
        frozen = true;
    }

    /** Lets time move again. */
    void thaw() {
        frozen = false;
    }

    @Override
    public boolean advanceWhenIdle() {
        if (frozen) {
            onIdleWhileFrozen.run();
            return false;
        }
        Duration next = time.nextDeadline();
        if (next == null) {
            onDeadlock.run();
            return false;
        }
        Duration max = limit;
        if (max != null && next.compareTo(max) > 0) {
            onLimit.accept(next);
            return false;
        }
        if (next.compareTo(time.now()) > 0) {
            trace.add(next, "time", new Jump(time.now()));
        }
        return super.advanceWhenIdle();
    }

    int pendingTimers() {
        return time.pendingTimers();
    }

    void advance(Duration delta) {
        time.advance(delta);
    }

    @Override
    public String toString() {
        return "SimClock[" + time.now() + "]";
    }

    /** The detail of a jump of virtual time: "jump from" the time it left. */
    private record Jump(Duration from) implements Trace.Detail {
        @Override
        public void appendTo(StringBuilder out) {
            out.append("jump from ").append(from);
        }
    }
}
