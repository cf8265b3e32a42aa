package io.loomas.runtime;

import io.loomas.runtime.internal.CurrentTask;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One wait of one task or thread: registered with whatever it waits for, woken at most once.
 *
 * <p>Every scheduling point is built from this: create a waiter for the current thread (which
 * checks for cancellation), register it where the wake-up will come from, {@link #park} it, and
 * unregister it in a {@code finally} block. A task's waiter gives up the loop while parked; a
 * thread outside any loop simply blocks. Wake-ups that come after the wait ended are ignored, so a
 * timer and a signal can race harmlessly.
 */
abstract sealed class Waiter permits Waiter.OfTask, Waiter.OfThread {
    static final int WAITING = 0, SIGNALLED = 1, TIMED_OUT = 2, CANCELLED = 3;

    final AtomicInteger outcome = new AtomicInteger(WAITING);

    /**
     * Creates a waiter for the calling task or thread.
     *
     * @throws CancelledException if the calling task has a pending cancellation
     */
    static Waiter forCurrentThread() {
        Task<?> task = CurrentTask.get();
        if (task != null) {
            task.throwIfCancelled();
            return new OfTask(task);
        }
        return new OfThread(Thread.currentThread());
    }

    /** Throws if the calling task has a pending cancellation: the check every scheduling point makes. */
    static void checkCancelled() {
        Task<?> task = CurrentTask.get();
        if (task != null) {
            task.throwIfCancelled();
        }
    }

    /** Blocks the calling task or thread until {@code clock} reaches {@code deadline}. */
    static void sleep(Clock clock, Duration deadline) {
        Waiter w = forCurrentThread();
        w.park(clock, deadline);
    }

    /** {@return the clock the calling task's time limits are measured on} */
    static Clock currentClock() {
        return Clock.current();
    }

    /**
     * Wakes this waiter because what it waits for happened.
     *
     * @return {@code true} if this call woke it; {@code false} if its wait had already ended
     */
    final boolean wake() {
        return fire(SIGNALLED);
    }

    final boolean fire(int why) {
        if (this instanceof OfTask t) {
            t.task.loop().refuseForeignThread("wake", t.task); // before the outcome is taken
        }
        if (outcome.compareAndSet(WAITING, why)) {
            resume();
            return true;
        }
        return false;
    }

    /** {@return whether the wait ended with a wake-up (as opposed to a timeout or cancellation)} */
    final boolean isSignalled() {
        return outcome.get() == SIGNALLED;
    }

    abstract void resume();

    abstract void block();

    /**
     * Blocks until woken, or until {@code clock} reaches {@code deadline} if it is not null.
     *
     * @return {@code true} if woken; {@code false} if the deadline passed first
     * @throws CancelledException if the waiting task was cancelled (also when it was woken and
     *     cancelled at about the same time: cancellation wins)
     */
    final boolean park(Clock clock, Duration deadline) {
        TimerHandle timer = deadline == null ? null : clock.schedule(deadline, () -> fire(TIMED_OUT));
        try {
            block();
        } finally {
            if (timer != null) {
                timer.cancel();
            }
        }
        if (this instanceof OfTask t) {
            t.task.throwIfCancelled();
        }
        return outcome.get() != TIMED_OUT;
    }

    /** {@link #park(Clock, Duration)} without a deadline. */
    final void park() {
        park(null, null);
    }

    /** A task's wait: parking gives the loop to the next task. */
    static final class OfTask extends Waiter {
        final Task<?> task;

        OfTask(Task<?> task) {
            this.task = task;
        }

        @Override
        void resume() {
            task.loop().wake(task, this);
        }

        @Override
        void block() {
            task.loop().park(task, this);
        }
    }

    /** A plain thread's wait (a main method, a test thread, a socket reader): it just blocks. */
    static final class OfThread extends Waiter {
        final Thread thread;

        OfThread(Thread thread) {
            this.thread = thread;
        }

        @Override
        void resume() {
            LockSupport.unpark(thread);
        }

        /**
         * Parks until woken. An interrupt ends the wait: parking would return at once forever after
         * (a spin), and a thread is interrupted to make it stop waiting.
         *
         * @throws CancelledException if the thread is interrupted first; its interrupt status is
         *     cleared, as when {@link InterruptedException} is thrown
         */
        @Override
        void block() {
            while (outcome.get() == WAITING) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    if (outcome.compareAndSet(WAITING, CANCELLED)) {
                        throw new CancelledException("thread '" + thread.getName() + "' was interrupted while it waited",
                                new InterruptedException());
                    }
                    thread.interrupt(); // woken at the same time: the wait succeeded, the interrupt stays
                }
            }
        }
    }
}
