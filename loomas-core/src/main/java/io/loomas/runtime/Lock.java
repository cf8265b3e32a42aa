package io.loomas.runtime;

import io.loomas.runtime.internal.CurrentTask;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A mutual-exclusion lock for tasks, held across scheduling points.
 *
 * <p>Tasks of one loop need no lock for state they touch between two scheduling points; this lock
 * is for sections that await in the middle (read, call a remote service, write back) and must not
 * interleave. Waiting for it is a scheduling point. It is not reentrant: a task that already holds
 * it and asks again gets an exception instead of a deadlock. Only the holder may unlock it.
 *
 * {@snippet class="io.loomas.snippets.RuntimeSnippets" region="lock"}
 *
 * <p><b>How a wait ends.</b> A caller of {@link #lock()} or {@link #lock(Duration)} waits until one
 * of these happens: the lock is unlocked and the caller is the one that takes it (waiters are woken
 * in arrival order, but a caller that comes while the lock is free takes it at once: the lock is
 * not fair);
 * the calling task is cancelled ({@link CancelledException}, delivered once: a cancellation not
 * yet delivered fails the call at once, even if it need not wait, and after it the task may wait
 * again, for its cleanup); a timed wait's timeout passes on the caller's clock
 * ({@link TimeoutException}; the loop's clock for a task, so virtual or external time for a
 * simulation or a co-simulation; the system clock for other threads); or a thread outside any loop
 * is interrupted ({@link CancelledException} whose cause is the {@link InterruptedException}, with
 * the interrupt status cleared). A task's own thread is not stopped by an interrupt: it keeps the
 * interrupt for after the wait.
 * A caller that fails does not hold the lock.
 *
 * <p>Memory consistency effects: actions before {@link #unlock()} <i>happen-before</i> actions
 * after a later {@code lock} returns in another task or thread.
 *
 * <p>Thread-safe.
 */
public final class Lock {
    private final ReentrantLock guard = new ReentrantLock();
    private final WaitList waiters = new WaitList(guard);
    private Object owner; // a Task, or a Thread outside any loop; guarded by guard

    /** Creates an unlocked lock. */
    public Lock() {}

    /**
     * Acquires the lock, waiting until it is free. A scheduling point when it waits.
     *
     * @throws IllegalStateException if the caller holds the lock already
     * @throws CancelledException if the calling task is cancelled while waiting
     */
    public void lock() {
        Object me = caller();
        waiters.await(() -> tryAcquire(me), null, () -> "lock");
    }

    /**
     * Acquires the lock, waiting at most {@code timeout} on the caller's clock.
     *
     * @throws TimeoutException if the lock stays taken that long
     * @throws IllegalStateException if the caller holds the lock already
     * @throws CancelledException if the calling task is cancelled while waiting
     */
    public void lock(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        Object me = caller();
        waiters.await(() -> tryAcquire(me), timeout, () -> "lock");
    }

    /** {@return whether the lock was free and is now held by the caller} Does not wait. */
    public boolean tryLock() {
        Object me = caller();
        guard.lock();
        try {
            return tryAcquire(me) != null;
        } finally {
            guard.unlock();
        }
    }

    /**
     * Releases the lock and wakes the first waiter.
     *
     * @throws IllegalMonitorStateException if the caller does not hold the lock
     */
    public void unlock() {
        Object me = caller();
        guard.lock();
        try {
            if (owner != me) {
                throw new IllegalMonitorStateException("lock is held by " + describe(owner) + ", not by " + describe(me));
            }
            owner = null;
            waiters.signalOne();
        } finally {
            guard.unlock();
        }
    }

    /** {@return whether some task or thread holds the lock} */
    public boolean isLocked() {
        guard.lock();
        try {
            return owner != null;
        } finally {
            guard.unlock();
        }
    }

    private Boolean tryAcquire(Object me) {
        if (owner == me) {
            throw new IllegalStateException(describe(me) + " already holds this lock (expected: not reentrant)");
        }
        if (owner != null) {
            return null;
        }
        owner = me;
        return Boolean.TRUE;
    }

    private static Object caller() {
        Task<?> t = CurrentTask.get();
        return t != null ? t : Thread.currentThread();
    }

    private static String describe(Object owner) {
        if (owner == null) {
            return "nobody";
        }
        return owner instanceof Task<?> t ? "task '" + t.name() + "'" : "thread '" + ((Thread) owner).getName() + "'";
    }

    @Override
    public String toString() {
        guard.lock();
        try {
            return "Lock[" + (owner == null ? "unlocked" : "held by " + describe(owner)) + "]";
        } finally {
            guard.unlock();
        }
    }
}
