package io.loomas.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The waiters of one condition of a synchronizer (a queue's "not empty", a lock's "free"),
 * guarded by the synchronizer's lock.
 *
 * <p>Waits follow Mesa semantics: a signal wakes the first waiter, which then re-checks the
 * condition under the lock. A waiter that is signalled but cancelled or timed out passes the signal
 * on, so no wake-up is lost.
 */
final class WaitList {
    private final ReentrantLock lock;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    WaitList(ReentrantLock lock) {
        this.lock = lock;
    }

    /** Wakes the first waiter still waiting; caller holds the lock. */
    void signalOne() {
        Waiter w;
        while ((w = waiters.pollFirst()) != null) {
            if (w.wake()) {
                return;
            }
        }
    }

    /** Wakes every waiter; caller holds the lock. */
    void signalAll() {
        Waiter w;
        while ((w = waiters.pollFirst()) != null) {
            w.wake();
        }
    }

    /** {@return how many wait} Caller holds the lock. */
    int size() {
        return waiters.size();
    }

    /**
     * Blocks until {@code attempt}, run under the lock, returns non-null, and returns that. A
     * scheduling point. Caller must not hold the lock.
     *
     * @param timeout how long to wait at most on the caller's clock; {@code null} for no limit
     * @param what names what is awaited, for the timeout message
     * @throws TimeoutException if the time is up first
     * @throws CancelledException if the calling task is cancelled
     */
    <R> R await(Supplier<R> attempt, Duration timeout, Supplier<String> what) {
        Waiter.checkCancelled();
        Clock clock = null;
        Duration deadline = null;
        while (true) {
            Waiter w;
            lock.lock();
            try {
                R r = attempt.get();
                if (r != null) {
                    return r;
                }
                w = Waiter.forCurrentThread();
                waiters.addLast(w);
            } finally {
                lock.unlock();
            }
            if (timeout != null && clock == null) {
                clock = Waiter.currentClock();
                deadline = clock.now().plus(timeout);
            }
            boolean woken = false;
            try {
                woken = w.park(clock, deadline);
            } finally {
                if (!woken) {
                    lock.lock();
                    try {
                        waiters.remove(w);
                        if (w.isSignalled()) {
                            signalOne(); // we were chosen but will not use it
                        }
                    } finally {
                        lock.unlock();
                    }
                }
            }
            if (!woken) {
                throw new TimeoutException("timed out after " + timeout + " waiting for " + what.get());
            }
        }
    }
}
