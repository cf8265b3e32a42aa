package io.loomas.sim.internal;

import io.loomas.sim.Simulation;

/** How the simulation and its test kit run a scenario whatever happens: run it, then close. */
public final class Runs {
    private Runs() {}

    /**
     * Runs {@code scenario} against {@code sim}, then closes {@code sim} even if the scenario
     * failed, so the trace includes the shutdown.
     *
     * @return how the run failed (a failure of {@code close} suppressed in the scenario's), or null
     */
    public static Throwable closeAfter(Simulation sim, Runnable scenario) {
        Throwable failure = null;
        try {
            scenario.run();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        try {
            sim.close();
        } catch (RuntimeException | Error e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        return failure;
    }
}
