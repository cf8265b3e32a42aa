package io.loomas.sim;

import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Notices a task that holds a simulation's loop for too long in wall time while the trace does not
 * move: in a simulation, code between two scheduling points costs no virtual time, so such a task
 * has called something that blocks its thread or loops without end. One thread watches every
 * running simulation of the JVM: a thread per run would cost more than a short run.
 */
final class BlockedTaskWatchdog {
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("loomas-sim-watchdog").factory());

    private BlockedTaskWatchdog() {}

    /**
     * Checks {@code loop} a few times per {@code threshold} until the returned future is cancelled;
     * calls {@code onBlocked} with the task and the report once it has held the loop that long.
     */
    static ScheduledFuture<?> watch(Loop loop, Trace trace, Duration threshold, BiConsumer<Task<?>, String> onBlocked) {
        long thresholdNanos = threshold.toNanos();
        long period = Math.max(1_000_000, Math.min(thresholdNanos / 4, 250_000_000));
        return WATCHDOG.scheduleWithFixedDelay(new Runnable() {
            private Task<?> holder;
            private int events = -1;
            private long since;
            private boolean reported;

            @Override
            public void run() {
                Task<?> h = loop.runningTask();
                int n = trace.size();
                long now = System.nanoTime();
                if (h == null || h != holder || n != events) {
                    holder = h;
                    events = n;
                    since = now;
                } else if (now - since >= thresholdNanos && !reported) {
                    reported = true;
                    onBlocked.accept(h, report(h, now - since, threshold));
                }
            }
        }, period, period, TimeUnit.NANOSECONDS);
    }

    private static String report(Task<?> h, long heldNanos, Duration threshold) {
        StackTraceElement[] stack = h.stackTrace();
        StringBuilder sb = new StringBuilder("blocked: task '").append(h.name()).append("' has held the loop for ")
                .append(TimeUnit.NANOSECONDS.toMillis(heldNanos))
                .append(" ms of wall time without reaching a scheduling point (threshold ").append(threshold)
                .append(", Simulation.builder().blockingThreshold); in a simulation that means a call that blocks the"
                        + " thread (Thread.sleep: use clock().sleep; blocking I/O, another thread's lock) or a loop"
                        + " without end. It is ").append(LibraryFrames.place(stack)).append(':');
        for (StackTraceElement e : stack) {
            sb.append("\n      at ").append(e);
        }
        return sb.toString();
    }
}
