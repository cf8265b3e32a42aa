package io.loomas.runtime;

import java.util.ArrayDeque;

/** Runs ready tasks first come, first served. */
final class FifoScheduler implements Scheduler {
    private final ArrayDeque<Task<?>> ready = new ArrayDeque<>();

    @Override
    public void add(Task<?> task) {
        ready.addLast(task);
    }

    @Override
    public Task<?> poll() {
        return ready.pollFirst();
    }

    @Override
    public int size() {
        return ready.size();
    }
}
