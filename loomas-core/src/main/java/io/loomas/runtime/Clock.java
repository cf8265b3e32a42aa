package io.loomas.runtime;

import io.loomas.runtime.internal.CurrentTask;
import io.loomas.runtime.internal.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A source of time for a loop and the tasks on it: monotonic time, UTC dates, sleeps and timers.
 *
 * <p>Clock time is a {@link Duration} since the clock's own origin: {@link #now()} never goes
 * backwards, and deadlines ({@link #sleepUntil}, {@link #callAt}) are given in the same terms.
 * Three kinds exist: {@link #system()} follows real time; {@link ExternalClock} moves only when
 * somebody calls {@link ExternalClock#setTime}, as in co-simulation; a simulation's virtual clock
 * jumps to the next timer when every task is blocked. Code that takes its time from the clock of
 * its loop or container runs unchanged under all three.
 *
 * <p>The blocking and task-spawning methods are built on {@link #now()}, {@link #schedule} and the
 * clock's rule for deadlines. Users do not implement clocks: a loop drives its clock (moving
 * virtual time when no task can run), and only loomas' clocks take part in that.
 *
 * <p>Thread-safe.
 */
public sealed interface Clock permits VirtualClock, ExternalClock, TimeSource {

    /** {@return the current clock time, measured from the clock's origin; never decreasing} */
    Duration now();

    /** {@return the current date and time in UTC according to this clock} */
    Instant utcNow();

    /**
     * Schedules {@code action} to run once when the clock reaches {@code deadline}.
     *
     * <p>This is the primitive the other methods are built on. The action runs on an arbitrary
     * thread (a timer thread, or the thread that moves an external clock), so it must be short,
     * must not block and must be thread-safe; waking a task or completing a {@link Promise} is
     * what it is for. To run loop code later, use {@link #callAt} instead.
     *
     * @return a handle that cancels the action until it runs
     */
    TimerHandle schedule(Duration deadline, Runnable action);

    /**
     * Blocks the calling task until {@code delay} has passed on this clock. A scheduling point.
     *
     * @throws IllegalArgumentException if {@code delay} is negative (an {@link ExternalClock}
     *     also rejects zero)
     * @throws CancelledException if the calling task is cancelled while sleeping
     */
    default void sleep(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay + " (expected: >= 0)");
        }
        Waiter.sleep(this, now().plus(delay));
    }

    /**
     * Blocks the calling task until this clock reaches {@code time}. A scheduling point.
     *
     * @throws IllegalArgumentException if {@code time} is not in the future and the clock does not
     *     allow that (an {@link ExternalClock} rejects it; the system clock returns at once)
     * @throws CancelledException if the calling task is cancelled while sleeping
     */
    default void sleepUntil(Duration time) {
        Waiter.sleep(this, TimeSource.of(this).checkDeadline(time));
    }

    /**
     * Runs {@code action} as a new task of the calling task's loop after {@code delay}.
     *
     * @return a handle that cancels the call until its task is started
     * @throws IllegalStateException if not called from a task of a loop
     */
    default TimerHandle callLater(Duration delay, Runnable action) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay + " (expected: >= 0)");
        }
        return callAt(now().plus(delay), action);
    }

    /**
     * Runs {@code action} as a new task of the calling task's loop when this clock reaches
     * {@code time}. A failure of the action goes to the loop's exception handler.
     *
     * @return a handle that cancels the call until its task is started
     * @throws IllegalStateException if not called from a task of a loop
     */
    default TimerHandle callAt(Duration time, Runnable action) {
        Objects.requireNonNull(action, "action");
        Loop loop = Loop.current();
        Object owner = Task.current().owner();
        return schedule(TimeSource.of(this).checkDeadline(time), () -> loop.spawnDetached("timer@" + time, owner, action));
    }

    /**
     * {@return the clock the caller's time limits are measured on: the calling task's loop clock, or
     * the system clock for a thread that is not a task}
     */
    static Clock current() {
        Task<?> task = CurrentTask.get();
        return task != null ? task.loop().clock() : system();
    }

    /** {@return the clock that follows real time; shared, with one timer thread for all loops} */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
