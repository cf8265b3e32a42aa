package io.loomas.runtime;

import io.loomas.runtime.internal.Frames;
import io.loomas.runtime.internal.JfrEvents;
import io.loomas.runtime.internal.LogContext;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In debug mode, a platform thread per loop that looks a few times per threshold at which task
 * holds the loop, and hands a {@link SlowTaskHandler.Report} to the handler once per turn that
 * lasts longer than the threshold.
 */
final class SlowTaskWatchdog {
    private static final Logger log = LoggerFactory.getLogger(Loop.class);

    /** A task's turn: the task holding the loop, and when it got it ({@link System#nanoTime()}). */
    record Turn(Task<?> task, long since) {}

    private SlowTaskWatchdog() {}

    /** {@return the started watchdog thread of {@code loop}; interrupt it to stop it} */
    static Thread start(Loop loop, Duration threshold, SlowTaskHandler handler) {
        return Thread.ofPlatform().daemon().name(loop.name() + "-watchdog").start(() -> watch(loop, threshold, handler));
    }

    private static void watch(Loop loop, Duration threshold, SlowTaskHandler handler) {
        long thresholdNanos = threshold.toNanos();
        Turn lastReported = null;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                TimeUnit.NANOSECONDS.sleep(Math.max(thresholdNanos / 4, 1_000_000));
            } catch (InterruptedException e) {
                return;
            }
            Turn turn = loop.currentTurn();
            if (turn == null || turn.equals(lastReported)) {
                continue;
            }
            long held = System.nanoTime() - turn.since();
            if (held >= thresholdNanos) {
                lastReported = turn;
                Task<?> t = turn.task();
                // Sleeping, parked on I/O or on another thread's lock, not merely slow or starved of a core.
                Thread.State state = t.thread.getState();
                StackTraceElement[] stack = t.stackTrace();
                boolean blocked = (state == Thread.State.TIMED_WAITING || state == Thread.State.WAITING
                        || state == Thread.State.BLOCKED) && !inLoopBookkeeping(stack);
                JfrEvents.SlowTask event = new JfrEvents.SlowTask();
                if (event.shouldCommit()) {
                    event.task = t.describe();
                    event.held = held;
                    event.blocked = blocked;
                    event.commit();
                }
                try (LogContext.Scope scope = LogContext.task(loop.name(), t.name())) { // the task's line, not the watchdog's
                    try {
                        handler.slowTask(loop, new SlowTaskHandler.Report(t.describe(), Duration.ofNanos(held), threshold,
                                blocked, stack, t.creationSite()));
                    } catch (RuntimeException e) {
                        log.error("[{}] slow-task handler failed for task '{}'", loop.name(), t.name(), e);
                    }
                }
            }
        }
    }

    /** {@return whether the first frame outside the JDK is the loop's own (a task waiting a moment for its lock)} */
    private static boolean inLoopBookkeeping(StackTraceElement[] stack) {
        StackTraceElement first = Frames.firstOutside(stack, Frames::isJdk);
        return first != null && Frames.isRuntime(first.getClassName());
    }
}
