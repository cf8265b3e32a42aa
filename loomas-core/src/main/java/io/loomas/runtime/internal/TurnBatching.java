package io.loomas.runtime.internal;

import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;

/**
 * Lets work that the tasks of one loop do in a row be done once: a connection hands the frames
 * its loop's tasks send to its writer when the loop has no more ready tasks, not one by one.
 */
public final class TurnBatching {
    private TurnBatching() {}

    /** {@return the loop of the task the calling thread runs, or null if it is no task} */
    public static Loop currentLoop() {
        Task<?> t = CurrentTask.get();
        return t == null ? null : t.loop();
    }

    /**
     * If the calling thread is a task holding its loop and other tasks of that loop are ready,
     * keeps {@code action} until none is (at most a bounded number of turns later). The action
     * runs on a task's thread but not as that task, outside the loop's lock: it must be quick and
     * thread-safe.
     *
     * @return whether the action was kept; if not, the caller does its work now
     */
    public static boolean deferWhileOthersReady(Runnable action) {
        Task<?> t = CurrentTask.get();
        return t != null && RuntimeAccess.get().deferWhileOthersReady(t, action);
    }

    /**
     * Tells whether the calling task has more work queued that it does before it waits (requests
     * it received together and answers one after the other), or not. While it has, what it
     * {@linkplain #deferWhileOthersReady defers} waits as if other tasks were ready, until the task
     * gives up its loop or calls this with {@code flush}, which runs the deferred actions now (a
     * bound on how long they wait). Does nothing on a thread that is no task.
     */
    public static void workAhead(boolean ahead, boolean flush) {
        Task<?> t = CurrentTask.get();
        if (t != null) {
            RuntimeAccess.get().workAhead(t, ahead, flush);
        }
    }
}
