package io.loomas.runtime.internal;

import io.loomas.runtime.Task;

/** The task the calling thread runs, for loomas' own layers; users call {@link Task#current()}. */
public final class CurrentTask {
    private static final ThreadLocal<Task<?>> CURRENT = new ThreadLocal<>();

    private CurrentTask() {}

    /** {@return the task the calling thread runs, or {@code null} if the calling thread is not a task} */
    public static Task<?> get() {
        return CURRENT.get();
    }

    /** Marks the calling thread as running {@code task}; called once by the task's own thread. */
    public static void set(Task<?> task) {
        CURRENT.set(task);
    }
}
