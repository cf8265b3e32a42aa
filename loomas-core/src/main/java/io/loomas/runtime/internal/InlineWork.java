package io.loomas.runtime.internal;

import io.loomas.runtime.Task;
import java.util.Objects;

/**
 * Runs work in the calling task that would otherwise get a task of its own, for as long as it
 * does not wait. A connection's serving task answers a call this way: a call that never reaches a
 * scheduling point costs no thread start and no two hand-offs of the loop, and one that does wait
 * makes the serving task hand its receiving on to a new task first, so that it does not hold up
 * the other calls.
 */
public final class InlineWork {
    private InlineWork() {}

    /**
     * Runs {@code body} in the calling task. If the task is about to give up its loop inside it (a
     * scheduling point that waits, a {@code yieldNow}), {@code beforeFirstWait} runs first, once, on
     * the task's thread while it still holds the loop and outside the loop's lock. Not when the task
     * has a cancellation pending: that wait throws instead. Meanwhile a slow-task report names
     * {@code activity} beside the task.
     *
     * @throws IllegalStateException if the calling thread is no task, or runs such work already
     */
    public static void run(String activity, Runnable body, Runnable beforeFirstWait) {
        Task<?> t = CurrentTask.get();
        if (t == null) {
            throw new IllegalStateException("inline work runs in a task; thread: " + Thread.currentThread());
        }
        RuntimeAccess access = RuntimeAccess.get();
        if (!access.beginInlineWork(t, Objects.requireNonNull(activity, "activity"), beforeFirstWait)) {
            throw new IllegalStateException("task '" + t.name() + "' runs inline work already");
        }
        try {
            body.run();
        } finally {
            access.endInlineWork(t);
        }
    }
}
