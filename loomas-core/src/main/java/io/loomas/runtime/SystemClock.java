package io.loomas.runtime;

import io.loomas.runtime.internal.CurrentTask;
import io.loomas.runtime.internal.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The real-time clock: monotonic time from {@link System#nanoTime()}, dates from the system. */
final class SystemClock implements TimeSource {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SystemClock.class);
    static final SystemClock INSTANCE = new SystemClock();

    private final long origin = System.nanoTime();
    private final ScheduledThreadPoolExecutor timers;

    private SystemClock() {
        timers = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, "loomas-timer");
            t.setDaemon(true);
            return t;
        });
        // Cancelled timers (timed-out waits that finished early) must not pile up in the queue.
        timers.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Duration now() {
        return Duration.ofNanos(System.nanoTime() - origin);
    }

    @Override
    public Instant utcNow() {
        return Instant.now();
    }

    @Override
    public TimerHandle schedule(Duration deadline, Runnable action) {
        long delay = Math.max(0, deadline.minus(now()).toNanos());
        Task<?> scheduledBy = CurrentTask.get();
        ScheduledFuture<?> f = timers.schedule(() -> fire(action, deadline, scheduledBy), delay, TimeUnit.NANOSECONDS);
        return new TimerHandle() {
            @Override
            public Duration deadline() {
                return deadline;
            }

            @Override
            public boolean cancel() {
                return f.cancel(false);
            }

            @Override
            public boolean isCancelled() {
                return f.isCancelled();
            }
        };
    }

    /**
     * Runs a timer's action. The executor would keep a failure in a future nobody reads: report it
     * instead, to the loop of the task that set the timer (its exception handler), or to the log.
     */
    private static void fire(Runnable action, Duration deadline, Task<?> scheduledBy) {
        try {
            action.run();
        } catch (RuntimeException | Error e) {
            if (scheduledBy != null) {
                scheduledBy.loop().handleUncaught(new UncaughtFailure("Timer action set by task '" + scheduledBy.name()
                        + "' for " + deadline + " failed", e, scheduledBy.name(), scheduledBy.creationSite()));
            } else {
                log.error("Timer action for {} failed", deadline, e);
            }
        }
    }

    @Override
    public String toString() {
        return "SystemClock";
    }
}
