package io.loomas.sim;

import io.loomas.sim.internal.Runs;
import java.util.function.Consumer;

/**
 * Runs a scenario twice with one seed and judges the two runs: their traces event for event, then
 * how they ended. Behind {@link Simulation#checkDeterminism} and {@link Simulation#compareRuns}.
 */
final class Determinism {
    private Determinism() {}

    static void check(Simulation.Builder settings, Consumer<Simulation> scenario) {
        Outcome first = runOnce(settings, scenario);
        Outcome second = runOnce(settings, scenario);
        compare(first.seed(), first.trace(), first.failure(), second.trace(), second.failure());
    }

    static void compare(long seed, Trace first, Throwable firstFailure, Trace second, Throwable secondFailure) {
        Throwable cause = firstFailure != null ? firstFailure : secondFailure;
        int i = first.firstDifference(second);
        String a = ending(firstFailure);
        String b = ending(secondFailure);
        if (i >= 0) {
            Trace.Event x = first.event(i);
            Trace.Event y = second.event(i);
            if ((isFailure(x) || isFailure(y)) && !a.equals(b)) {
                // The events match until one run failed (its trace ends with the failure): say how each ended.
                throw new SimulationException("simulation is not deterministic (seed=" + seed + "): the same events"
                        + " until one run failed, and the runs end differently:\n  first run:  " + a
                        + "\n  second run: " + b, seed, cause);
            }
            throw new SimulationException("simulation is not deterministic (seed=" + seed
                    + "): the runs part at event " + i + ":\n  first run:  " + (x != null ? x : "(end)")
                    + "\n  second run: " + (y != null ? y : "(end)"), seed, cause);
        }
        if (!a.equals(b)) {
            throw new SimulationException("simulation is not deterministic (seed=" + seed + "): the same events,"
                    + " but the runs end differently:\n  first run:  " + a + "\n  second run: " + b, seed, cause);
        }
        // Both runs failed the same way at the same event: the scenario fails, deterministically.
        if (firstFailure instanceof RuntimeException r) {
            throw r;
        }
        if (firstFailure instanceof Error err) {
            throw err;
        }
    }

    private static boolean isFailure(Trace.Event e) {
        return e != null && e.kind().equals("failure");
    }

    /** One run of a scenario: its trace, and how it failed (or {@code null}). */
    private record Outcome(long seed, Trace trace, Throwable failure) {}

    /** Runs {@code scenario} once in a new simulation, closing it, keeping its trace whatever happens. */
    private static Outcome runOnce(Simulation.Builder settings, Consumer<Simulation> scenario) {
        Simulation sim = settings.build();
        Throwable failure = Runs.closeAfter(sim, () -> scenario.accept(sim));
        return new Outcome(sim.seed(), sim.trace(), failure);
    }

    /** {@return how a run ended, to compare two runs: "passed", or the failure's class and message} */
    private static String ending(Throwable failure) {
        if (failure == null) {
            return "passed";
        }
        StringBuilder text = new StringBuilder(failure.getClass().getName() + ": " + failure.getMessage());
        for (Throwable c = failure.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            text.append("; caused by ").append(c.getClass().getName()).append(": ").append(c.getMessage());
        }
        return text.toString();
    }
}
