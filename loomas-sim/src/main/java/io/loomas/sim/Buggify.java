package io.loomas.sim;

import io.loomas.runtime.Task;
import io.loomas.runtime.internal.CurrentTask;

/**
 * Fault points in user code: a named site that, in a simulation, may fire to make the code take a
 * rare path (a slow disk, a dropped cache, an early timeout), and never fires outside one.
 *
 * {@snippet class="io.loomas.snippets.SimSnippets" region="buggify"}
 *
 * <p>For each seed a site is enabled with some probability (25% by default) when it is first
 * reached; an enabled site then fires with some probability each time (10% by default). Both come
 * from the seed, so a run that failed after a site fired replays exactly. Thread-safe; the check
 * is cheap when no simulation runs.
 */
public final class Buggify {
    private Buggify() {}

    /**
     * {@return whether fault point {@code site} fires now: only in a task of a simulation, and only
     * as the simulation's seed decides}
     */
    public static boolean fires(String site) {
        Task<?> task = CurrentTask.get();
        if (task == null) {
            return false;
        }
        Simulation sim = Simulation.of(task.loop());
        return sim != null && sim.buggifyFires(site);
    }
}
