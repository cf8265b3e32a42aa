package io.loomas.sim;

import io.loomas.runtime.Clock;
import io.loomas.runtime.Scheduler;
import io.loomas.runtime.Task;
import java.util.ArrayList;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Picks the next task among the ready ones with the seed, and notes each switch in the trace.
 * Tasks whose owner is paused stay ready but are not picked (and not counted) until it resumes.
 */
final class SeededScheduler implements Scheduler {
    private final ArrayList<Task<?>> ready = new ArrayList<>();
    private final RandomGenerator random;
    private final Trace trace;
    private final Clock clock;
    private final Predicate<Object> paused;

    SeededScheduler(RandomGenerator random, Trace trace, Clock clock, Predicate<Object> paused) {
        this.random = random;
        this.trace = trace;
        this.clock = clock;
        this.paused = paused;
    }

    @Override
    public void add(Task<?> task) {
        ready.add(task);
    }

    @Override
    public Task<?> poll() {
        int n = size();
        if (n == 0) {
            return null;
        }
        int pick = n == 1 ? 0 : random.nextInt(n);
        for (int i = 0; i < ready.size(); i++) {
            Task<?> t = ready.get(i);
            if (isPaused(t)) {
                continue;
            }
            if (pick-- == 0) {
                ready.remove(i);
                trace.add(clock.now(), "run", t.name());
                return t;
            }
        }
        throw new IllegalStateException("ready tasks changed while picking");
    }

    @Override
    public int size() {
        int n = 0;
        for (Task<?> t : ready) {
            if (!isPaused(t)) {
                n++;
            }
        }
        return n;
    }

    private boolean isPaused(Task<?> t) {
        return t.owner() != null && paused.test(t.owner());
    }
}
