package io.loomas.sim;

import io.loomas.runtime.Clock;
import io.loomas.runtime.Scheduler;
import io.loomas.runtime.Task;
import java.util.ArrayList;
import java.util.random.RandomGenerator;

/** Picks the next task among the ready ones with the seed, and notes each switch in the trace. */
final class SeededScheduler implements Scheduler {
    private final ArrayList<Task<?>> ready = new ArrayList<>();
    private final RandomGenerator random;
    private final Trace trace;
    private final Clock clock;

    SeededScheduler(RandomGenerator random, Trace trace, Clock clock) {
        this.random = random;
        this.trace = trace;
        this.clock = clock;
    }

    @Override
    public void add(Task<?> task) {
        ready.add(task);
    }

    @Override
    public Task<?> poll() {
        int n = ready.size();
        if (n == 0) {
            return null;
        }
        int i = n == 1 ? 0 : random.nextInt(n);
        Task<?> next = ready.get(i);
        ready.set(i, ready.get(n - 1));
        ready.remove(n - 1);
        trace.add(clock.now(), "run", next.name());
        return next;
    }

    @Override
    public int size() {
        return ready.size();
    }
}
