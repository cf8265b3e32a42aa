package io.loomas.runtime;

/**
 * The exception a task sees at a scheduling point after it was cancelled.
 *
 * <p>{@link Task#cancel()} does not stop a task at once: the task's current or next scheduling
 * point (awaiting a future, a clock sleep, a queue take, ...) throws this exception, so that the
 * task can clean up in {@code finally} blocks. A task whose body ends with this exception counts as
 * cancelled, not failed. Awaiting a cancelled future throws it as well.
 *
 * <p>A thread that is not a task (a {@code main} method, a test thread) and is interrupted while
 * it waits at one of these points gets this exception too, with an {@link InterruptedException} as
 * its cause; as with {@code InterruptedException}, the thread's interrupt status is cleared.
 */
public class CancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with the given message. */
    public CancelledException(String message) {
        super(message);
    }

    /** Creates an exception with the given message and cause. */
    public CancelledException(String message, Throwable cause) {
        super(message, cause);
    }
}
