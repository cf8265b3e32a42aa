package io.loomas.runtime;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A counting semaphore for tasks: it holds a number of permits, {@link #acquire()} takes one
 * (waiting while there is none) and {@link #release()} gives one back.
 *
 * <p>Typical use is to bound how many tasks do something at once, such as calls in flight to one
 * peer. Waiting is a scheduling point. Any task may release, not only one that acquired.
 *
 * <p><b>How a wait ends.</b> A caller of {@link #acquire()} or {@link #acquire(Duration)} waits
 * until one of these happens: a permit is free and the caller takes it (waiters are woken in
 * arrival order, but a caller that comes while a permit is free takes it at once: the semaphore is
 * not fair);
 * the calling task is cancelled ({@link CancelledException}, delivered once: a cancellation not
 * yet delivered fails the call at once, even if it need not wait, and after it the task may wait
 * again, for its cleanup); a timed wait's timeout passes on the caller's clock
 * ({@link TimeoutException}; the loop's clock for a task, so virtual or external time for a
 * simulation or a co-simulation; the system clock for other threads); or a thread outside any loop
 * is interrupted ({@link CancelledException} whose cause is the {@link InterruptedException}, with
 * the interrupt status cleared). A task's own thread is not stopped by an interrupt: it keeps the
 * interrupt for after the wait.
 * A caller that fails takes no permit.
 *
 * <p>Memory consistency effects: actions before {@link #release()} <i>happen-before</i> actions
 * after a later {@code acquire} returns in another task or thread.
 *
 * <p>Thread-safe.
 */
public final class Semaphore {
    private final ReentrantLock lock = new ReentrantLock();
    private final WaitList waiters = new WaitList(lock);
    private int permits; // guarded by lock

    /**
     * Creates a semaphore with {@code permits} permits.
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public Semaphore(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits must not be negative: " + permits + " (expected: >= 0)");
        }
        this.permits = permits;
    }

    /**
     * Takes a permit, waiting until one is free. A scheduling point when it waits.
     *
     * @throws CancelledException if the calling task is cancelled while waiting
     */
    public void acquire() {
        waiters.await(this::take, null, () -> "a permit of " + this);
    }

    /**
     * Takes a permit, waiting at most {@code timeout} on the caller's clock.
     *
     * @throws TimeoutException if no permit becomes free in time
     * @throws CancelledException if the calling task is cancelled while waiting
     */
    public void acquire(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        waiters.await(this::take, timeout, () -> "a permit of " + this);
    }

    /** {@return whether a permit was free and is now taken} Does not wait. */
    public boolean tryAcquire() {
        lock.lock();
        try {
            return take() != null;
        } finally {
            lock.unlock();
        }
    }

    /** Gives a permit back and wakes the first waiter. */
    public void release() {
        lock.lock();
        try {
            permits++;
            waiters.signalOne();
        } finally {
            lock.unlock();
        }
    }

    /** {@return the number of free permits} */
    public int availablePermits() {
        lock.lock();
        try {
            return permits;
        } finally {
            lock.unlock();
        }
    }

    private Boolean take() {
        if (permits == 0) {
            return null;
        }
        permits--;
        return Boolean.TRUE;
    }

    @Override
    public String toString() {
        return "Semaphore[permits=" + availablePermits() + "]";
    }
}
