package io.loomas.runtime;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A flag that tasks can wait for: {@link #await()} blocks until somebody calls {@link #set()}.
 *
 * <p>Setting the event wakes every waiter, and each of them returns even if the event is cleared
 * again before it gets to run; the event stays set (later waits return at once) until
 * {@link #clear()}. Waiting is a scheduling point.
 *
 * <p><b>How a wait ends.</b> A caller of {@link #await()} or {@link #await(Duration)} waits until
 * one of these happens: the event is set (or was set at the call);
 * the calling task is cancelled ({@link CancelledException}, delivered once: a cancellation not
 * yet delivered fails the call at once, even if it need not wait, and after it the task may wait
 * again, for its cleanup); a timed wait's timeout passes on the caller's clock
 * ({@link TimeoutException}; the loop's clock for a task, so virtual or external time for a
 * simulation or a co-simulation; the system clock for other threads); or a thread outside any loop
 * is interrupted ({@link CancelledException} whose cause is the {@link InterruptedException}, with
 * the interrupt status cleared). A task's own thread is not stopped by an interrupt: it keeps the
 * interrupt for after the wait.
 *
 * <p>Memory consistency effects: actions before {@link #set()} <i>happen-before</i> actions after an
 * {@code await} that returns because of it, in another task or thread.
 *
 * <p>Thread-safe.
 */
public final class Event {
    private final ReentrantLock lock = new ReentrantLock();
    private final WaitList waiters = new WaitList(lock);
    private boolean set; // guarded by lock
    private long sets; // how many times set() was called; guarded by lock

    /** Creates an event that is not set. */
    public Event() {}

    /** Sets the event and wakes every task waiting for it. */
    public void set() {
        lock.lock();
        try {
            set = true;
            sets++;
            waiters.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Clears the event, so that later waits block again. */
    public void clear() {
        lock.lock();
        try {
            set = false;
        } finally {
            lock.unlock();
        }
    }

    /** {@return whether the event is set} */
    public boolean isSet() {
        lock.lock();
        try {
            return set;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the event is set (returns at once if it is). A scheduling point.
     *
     * @throws CancelledException if the calling task is cancelled while waiting
     */
    public void await() {
        awaitSet(null);
    }

    /**
     * Waits at most {@code timeout} on the caller's clock until the event is set.
     *
     * @throws TimeoutException if the event is not set in time
     * @throws CancelledException if the calling task is cancelled while waiting
     */
    public void await(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        awaitSet(timeout);
    }

    private void awaitSet(Duration timeout) {
        // A set() that happens while we wait releases us even if clear() follows before we run
        // (as in asyncio): so the attempt also succeeds once set() was called after our first look.
        long[] setsAtStart = {-1};
        waiters.await(() -> {
            if (set) {
                return Boolean.TRUE;
            }
            if (setsAtStart[0] < 0) {
                setsAtStart[0] = sets;
                return null;
            }
            return sets != setsAtStart[0] ? Boolean.TRUE : null;
        }, timeout, () -> "event");
    }

    @Override
    public String toString() {
        return "Event[" + (isSet() ? "set" : "not set") + "]";
    }
}
