package io.loomas.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;

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
    private final Instant utcStart;
    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private volatile Duration time;
    private long sequence;

    /** Creates a clock at time zero whose UTC date starts at {@code utcStart}. */
    public ExternalClock(Instant utcStart) {
        this(utcStart, Duration.ZERO);
    }

    /** Creates a clock at {@code initialTime} whose UTC date at time zero is {@code utcStart}. */
    public ExternalClock(Instant utcStart, Duration initialTime) {
        this.utcStart = Objects.requireNonNull(utcStart, "utcStart");
        this.time = Objects.requireNonNull(initialTime, "initialTime");
    }

    @Override
    public Duration now() {
        return time;
    }

    @Override
    public Instant utcNow() {
        return utcStart.plus(time);
    }

    /**
     * Sets the clock to {@code newTime} and fires every timer due by then, in deadline order.
     *
     * @throws IllegalArgumentException if {@code newTime} is not later than the current time
     * @throws RuntimeException the first failure of a timer action (later ones suppressed in it),
     *     thrown once every due timer has fired
     */
    public void setTime(Duration newTime) {
        Objects.requireNonNull(newTime, "newTime");
        List<Entry> due = new ArrayList<>();
        lock.lock();
        try {
            if (newTime.compareTo(time) <= 0) {
                throw new IllegalArgumentException(
                        "time must increase: " + newTime + " (expected: > " + time + ")");
            }
            time = newTime;
            while (!queue.isEmpty() && queue.peek().deadline.compareTo(newTime) <= 0) {
                due.add(queue.poll());
            }
        } finally {
            lock.unlock();
        }
        // Every due timer fires even if an action throws: the entries are out of the queue now, so
        // stopping at the first failure would drop the others (and leave their tasks asleep).
        RuntimeException failure = null;
        for (Entry e : due) {
            try {
                e.fire();
            } catch (RuntimeException ex) {
                if (failure == null) {
                    failure = ex;
                } else {
                    failure.addSuppressed(ex);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Sets the clock so that {@link #utcNow()} is {@code date}; see {@link #setTime(Duration)}. */
    public void setTime(Instant date) {
        setTime(Duration.between(utcStart, date));
    }

    /** {@return the clock time that corresponds to the UTC {@code date}} */
    public Duration timeOf(Instant date) {
        return Duration.between(utcStart, date);
    }

    @Override
    public void sleep(Duration delay) {
        Clock.super.sleep(checkDelay(delay));
    }

    @Override
    public TimerHandle callLater(Duration delay, Runnable action) {
        return Clock.super.callLater(checkDelay(delay), action);
    }

    @Override
    public Duration checkDeadline(Duration t) {
        Objects.requireNonNull(t, "time");
        Duration now = time;
        if (t.compareTo(now) <= 0) {
            throw new IllegalArgumentException("date is in the past: " + t + " (expected: > " + now + ")");
        }
        return t;
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
        Objects.requireNonNull(action, "action");
        Entry e;
        lock.lock();
        try {
            e = new Entry(deadline, sequence++, action);
            if (deadline.compareTo(time) <= 0) {
                e.state = Entry.FIRED;
            } else {
                queue.add(e);
            }
        } finally {
            lock.unlock();
        }
        if (e.state == Entry.FIRED) {
            action.run();
        }
        return e;
    }

    /** {@return how many timers are waiting for their deadline} */
    public int pendingTimers() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "ExternalClock[time=" + time + ", utc=" + utcNow() + "]";
    }

    private final class Entry implements Comparable<Entry>, TimerHandle {
        static final int PENDING = 0, FIRED = 1, CANCELLED = 2;
        final Duration deadline;
        final long seq;
        final Runnable action;
        int state; // guarded by lock

        Entry(Duration deadline, long seq, Runnable action) {
            this.deadline = deadline;
            this.seq = seq;
            this.action = action;
        }

        void fire() {
            lock.lock();
            try {
                if (state != PENDING) {
                    return;
                }
                state = FIRED;
            } finally {
                lock.unlock();
            }
            action.run();
        }

        @Override
        public int compareTo(Entry o) {
            int c = deadline.compareTo(o.deadline);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }

        @Override
        public Duration deadline() {
            return deadline;
        }

        @Override
        public boolean cancel() {
            lock.lock();
            try {
                if (state != PENDING) {
                    return false;
                }
                state = CANCELLED;
                queue.remove(this);
                return true;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean isCancelled() {
            lock.lock();
            try {
                return state == CANCELLED;
            } finally {
                lock.unlock();
            }
        }
    }
}
