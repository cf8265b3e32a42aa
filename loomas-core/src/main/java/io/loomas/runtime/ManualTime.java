package io.loomas.runtime;

import io.loomas.runtime.internal.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Time that moves only when told, with its timers: the time source behind {@link ExternalClock} and
 * {@link VirtualClock}. Due timers fire in deadline order, FIFO for equal deadlines, on the thread
 * that moves the time. Virtual time jumps to the next timer when its loop is idle; external time
 * waits for {@code setTime} and refuses deadlines that are not in the future.
 */
final class ManualTime implements TimeSource {
    private final boolean external;
    private final Instant utcStart;
    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private volatile Duration time;
    private long sequence; // guarded by lock

    private ManualTime(boolean external, Instant utcStart, Duration initialTime) {
        this.external = external;
        this.utcStart = Objects.requireNonNull(utcStart, "utcStart");
        this.time = Objects.requireNonNull(initialTime, "initialTime");
    }

    /** {@return virtual time at zero, whose UTC date starts at {@code utcStart}} */
    static ManualTime virtual(Instant utcStart) {
        return new ManualTime(false, utcStart, Duration.ZERO);
    }

    /** {@return external time at {@code initialTime}, whose UTC date at time zero is {@code utcStart}} */
    static ManualTime external(Instant utcStart, Duration initialTime) {
        return new ManualTime(true, utcStart, initialTime);
    }

    @Override
    public Duration now() {
        return time;
    }

    @Override
    public Instant utcNow() {
        return utcStart.plus(time);
    }

    @Override
    public Duration checkDeadline(Duration t) {
        Objects.requireNonNull(t, "time");
        Duration now = time;
        if (external && t.compareTo(now) <= 0) {
            throw new IllegalArgumentException("date is in the past: " + t + " (expected: > " + now + ")");
        }
        return t;
    }

    /** Virtual time jumps to the earliest timer and fires it (and any others due then). */
    @Override
    public boolean advanceWhenIdle() {
        Duration next = external ? null : nextDeadline();
        if (next == null) {
            return false;
        }
        advanceTo(next.compareTo(time) > 0 ? next : time, false);
        return true;
    }

    Instant utcStart() {
        return utcStart;
    }

    /**
     * Moves the time to {@code newTime} and fires every timer due by then.
     *
     * @param strict whether {@code newTime} must be later than now (else it must not be earlier)
     * @throws IllegalArgumentException if {@code newTime} breaks that rule
     */
    void advanceTo(Duration newTime, boolean strict) {
        Objects.requireNonNull(newTime, "newTime");
        lock.lock();
        try {
            int c = newTime.compareTo(time);
            if (c < 0 || (strict && c == 0)) {
                throw new IllegalArgumentException("time must increase: " + newTime + " (expected: "
                        + (strict ? "> " : ">= ") + time + ")");
            }
            time = newTime;
        } finally {
            lock.unlock();
        }
        // The due timers fire in deadline order, taken from the queue one at a time: a timer
        // scheduled meanwhile is later than newTime (one not in the future fires in schedule), so
        // these are the timers due when the time moved, and a timer cancelled meanwhile does not
        // fire. (Collecting them first cost a list as long as the batch: a simulated connection
        // can have a hundred thousand frames arrive at one instant.) Every due timer fires even if
        // an action throws: stopping at the first failure would leave the others' tasks asleep.
        RuntimeException failure = null;
        for (Entry e; (e = takeDue(newTime)) != null; ) {
            try {
                e.action.run();
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

    /** {@return the earliest timer due by {@code t}, taken from the queue and marked fired; null if none} */
    private Entry takeDue(Duration t) {
        lock.lock();
        try {
            Entry e = queue.peek();
            if (e == null || e.deadline.compareTo(t) > 0) {
                return null;
            }
            queue.poll();
            e.state = Entry.FIRED;
            return e;
        } finally {
            lock.unlock();
        }
    }

    /** Schedules {@code action} at {@code deadline}; a deadline not in the future fires at once. */
    @Override
    public TimerHandle schedule(Duration deadline, Runnable action) {
        Objects.requireNonNull(deadline, "deadline");
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

    /** {@return the earliest deadline of a waiting timer, or null if none waits} */
    Duration nextDeadline() {
        lock.lock();
        try {
            return queue.isEmpty() ? null : queue.peek().deadline;
        } finally {
            lock.unlock();
        }
    }

    int pendingTimers() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
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
