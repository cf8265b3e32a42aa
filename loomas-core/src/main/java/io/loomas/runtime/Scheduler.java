package io.loomas.runtime;

/**
 * The policy that picks which ready task of a loop runs next.
 *
 * <p>A loop keeps its ready tasks in a scheduler: {@link #add} when a task becomes ready,
 * {@link #poll} when the running task gives up the loop. The default runs tasks in the order they
 * became ready (as asyncio does); a deterministic simulation plugs in one that picks among the
 * ready tasks with a seeded random source.
 *
 * <p>A service-provider interface: users may implement it and install it with
 * {@link LoopOptions#withScheduler}, to try schedules of their own.
 *
 * <p>Not thread-safe: the loop calls it only while holding its own lock, never concurrently, and
 * the methods must not block or call back into the loop.
 */
public interface Scheduler {

    /** Adds a task that became ready to run. */
    void add(Task<?> task);

    /** {@return the task to run next, removed from this scheduler, or {@code null} if none is ready} */
    Task<?> poll();

    /** {@return how many tasks are ready} */
    int size();

    /** {@return a scheduler that runs tasks in the order they became ready} */
    static Scheduler fifo() {
        return new FifoScheduler();
    }
}
