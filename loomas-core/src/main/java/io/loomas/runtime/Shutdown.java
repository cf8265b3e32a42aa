package io.loomas.runtime;

import io.loomas.runtime.internal.CurrentTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How a loop ends: behind {@link Loop#shutdown}. */
final class Shutdown {
    private static final Logger log = LoggerFactory.getLogger(Loop.class);

    private Shutdown() {}

    /**
     * Cancels every task but the caller (and those they spawn meanwhile), waits for them up to
     * {@code grace} on the loop's clock, then closes the loop.
     *
     * @return whether every task finished within the grace period
     */
    static boolean run(Loop loop, Duration grace) {
        Objects.requireNonNull(grace, "grace");
        Clock clock = loop.clock();
        Task<?> self = CurrentTask.get();
        Duration deadline = clock.now().plus(grace);
        Set<Task<?>> cancelled = new LinkedHashSet<>();
        boolean finished;
        while (true) {
            List<Task<?>> others = new ArrayList<>(loop.tasks());
            others.remove(self);
            others.removeIf(Task::isDone); // its body is over; it is only handing the loop on
            if (others.isEmpty()) {
                finished = true;
                break;
            }
            if (clock.now().compareTo(deadline) >= 0) {
                log.warn("[{}] {} task(s) still running after the grace period of {}: {}", loop.name(), others.size(),
                        grace, others.stream().map(Task::name).toList());
                finished = false;
                break;
            }
            for (Task<?> t : others) {
                if (cancelled.add(t)) {
                    t.cancel();
                }
            }
            awaitAllQuietly(loop, others, deadline);
        }
        loop.markClosed();
        return finished;
    }

    /** Waits until every one of {@code tasks} has ended, or the loop's clock reaches {@code deadline}. */
    private static void awaitAllQuietly(Loop loop, List<Task<?>> tasks, Duration deadline) {
        Promise<Void> timer = new Promise<>();
        TimerHandle handle = loop.clock().schedule(deadline, () -> timer.complete(null));
        loop.resumeIdleClock(); // set from outside the loop: an idle virtual clock must move on to it
        Future.any(List.of(timer, Future.allSettled(tasks))).await();
        handle.cancel();
    }
}
