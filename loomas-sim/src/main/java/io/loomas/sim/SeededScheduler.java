package io.loomas.sim;

import io.loomas.runtime.Clock;
import io.loomas.runtime.Scheduler;
import io.loomas.runtime.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Picks the next task among the ready ones as the run's {@link Scheduling} strategy says, with the
 * seed, and notes each switch in the trace. Tasks whose owner is paused stay ready but are not
 * picked (and not counted) until it resumes.
 */
final class SeededScheduler implements Scheduler {
    private final ArrayList<Task<?>> ready = new ArrayList<>(); // in the order they became ready
    private final RandomGenerator random;
    private final Trace trace;
    private final Clock clock;
    private final Predicate<Object> paused;
    private final Function<Object, String> nodeOf; // a task owner's node name, or null
    private final Scheduling strategy;
    /** The steps (1-based, sorted) at which PCT lowers a priority or delay-bounding delays. */
    private final long[] changeSteps;
    private int nextChange;
    private long step;
    /** PCT's priority of each task seen: looked up only, never iterated in an order that matters. */
    private final Map<Task<?>, Long> priority = new IdentityHashMap<>();
    private int purgeAt = 1024;

    SeededScheduler(RandomGenerator random, Trace trace, Clock clock, Predicate<Object> paused,
            Function<Object, String> nodeOf, Scheduling strategy) {
        this.random = random;
        this.trace = trace;
        this.clock = clock;
        this.paused = paused;
        this.nodeOf = nodeOf;
        this.strategy = strategy;
        int changes = switch (strategy.kind()) {
            case PCT -> strategy.bound() - 1;
            case DELAYS -> strategy.bound();
            default -> 0;
        };
        this.changeSteps = strategy.steps(changes, random);
        Arrays.sort(changeSteps);
    }

    @Override
    public void add(Task<?> task) {
        ready.add(task);
        if (strategy.kind() == Scheduling.Kind.PCT && !priority.containsKey(task)) {
            // Initial priorities lie above every lowered one (0 to depth - 2), as in the PCT paper.
            priority.put(task, Long.MAX_VALUE / 2 + random.nextLong(Long.MAX_VALUE / 2));
            if (priority.size() >= purgeAt) {
                priority.keySet().removeIf(Task::isDone); // order-free: the same set goes either way
                purgeAt = Math.max(1024, 2 * priority.size());
            }
        }
    }

    @Override
    public Task<?> poll() {
        int n = size();
        if (n == 0) {
            return null;
        }
        step++;
        int index = switch (strategy.kind()) {
            case PCT -> pickByPriority();
            case DELAYS -> pickInOrderWithDelays(n);
            default -> pickUniformly(n);
        };
        Task<?> t = ready.remove(index);
        // The node a task works for, so a timeline can put the task on its node's row.
        String node = nodeOf.apply(t.owner());
        trace.add(clock.now(), "run", new TaskRun(t.name(), node));
        return t;
    }

    private int pickUniformly(int n) {
        int pick = n == 1 ? 0 : random.nextInt(n);
        for (int i = 0; i < ready.size(); i++) {
            if (!isPaused(ready.get(i)) && pick-- == 0) {
                return i;
            }
        }
        throw new IllegalStateException("ready tasks changed while picking");
    }

    private int pickByPriority() {
        int best = highest();
        while (nextChange < changeSteps.length && changeSteps[nextChange] <= step) {
            // A change point: the task that would run drops below every task not lowered yet.
            Task<?> lowered = ready.get(best);
            priority.put(lowered, (long) nextChange);
            trace.add(clock.now(), "schedule", "pct change point " + (nextChange + 1) + " lowers " + lowered.name());
            nextChange++;
            best = highest();
        }
        return best;
    }

    private int highest() {
        int best = -1;
        long top = Long.MIN_VALUE;
        for (int i = 0; i < ready.size(); i++) {
            Task<?> t = ready.get(i);
            if (!isPaused(t) && priority.get(t) > top) {
                top = priority.get(t);
                best = i;
            }
        }
        return best;
    }

    private int pickInOrderWithDelays(int n) {
        int first = firstUnpaused(0);
        while (n > 1 && nextChange < changeSteps.length && changeSteps[nextChange] <= step) {
            // A delay: the task next in line goes to the back of the line.
            Task<?> delayed = ready.remove(first);
            ready.add(delayed);
            trace.add(clock.now(), "schedule", "delay " + (nextChange + 1) + " puts " + delayed.name() + " last");
            nextChange++;
            first = firstUnpaused(0);
        }
        return first;
    }

    private int firstUnpaused(int from) {
        for (int i = from; i < ready.size(); i++) {
            if (!isPaused(ready.get(i))) {
                return i;
            }
        }
        throw new IllegalStateException("no ready task that is not paused");
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

    /** The detail of a task switch: the task's name, and " @" and its node if it has one. */
    private record TaskRun(String task, String node) implements Trace.Detail {
        @Override
        public void appendTo(StringBuilder out) {
            out.append(task);
            if (node != null) {
                out.append(" @").append(node);
            }
        }
    }
}
