package io.loomas.sim;

import io.loomas.runtime.Task;
import io.loomas.runtime.internal.CurrentTask;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Properties stated in the code under test, that a simulation checks and a sweep of seeds adds up
 * (the assertions of the Antithesis SDK, on loomas' simulation).
 *
 * {@snippet class="io.loomas.snippets.SimSnippets" region="assertions"}
 *
 * <ul>
 *   <li>{@link #always}: must hold every time it is evaluated. A violation fails the run at once,
 *       whichever task it is in, even if that task catches the {@link AssertionError} it throws.
 *   <li>{@link #unreachable}: must never be reached; the same as {@code always(false, name)}.
 *   <li>{@link #sometimes}: must hold at least once in a sweep. A sweep in which it was evaluated
 *       but never held (the faults never drove the code there) reports it, and by default fails.
 *   <li>{@link #reachable}: must be reached at least once in a sweep; name it in
 *       {@code @SimulationTest(expect = ...)} so that a sweep that never reached it reports it.
 * </ul>
 *
 * <p>Outside a simulation every method does nothing and returns at once (in production code, an
 * assertion costs one thread-local read). Each evaluation is counted per name in
 * {@link Simulation#assertions()}; violations and first hits are trace events of kind
 * {@code assert}. Thread-safe.
 */
public final class Sim {
    private Sim() {}

    /** What an assertion promises. */
    public enum Kind {
        /** Holds every time: {@link Sim#always}. */
        ALWAYS,
        /** Holds at least once in a sweep: {@link Sim#sometimes}. */
        SOMETIMES,
        /** Is reached at least once in a sweep: {@link Sim#reachable}. */
        REACHABLE,
        /** Is never reached: {@link Sim#unreachable}. */
        UNREACHABLE
    }

    /**
     * How often one named assertion was evaluated in a run, and how often it held (for
     * {@code reachable}: was reached; for {@code unreachable}: never).
     *
     * @param name the assertion's name
     * @param kind what it promises
     * @param evaluations how often it was evaluated or reached
     * @param held how often its condition held
     */
    public record Assertion(String name, Kind kind, long evaluations, long held) {
        /** {@return whether the run (or sweep) kept its promise: for sometimes and reachable, held at least once} */
        public boolean satisfied() {
            return switch (kind) {
                case ALWAYS -> held == evaluations;
                case UNREACHABLE -> evaluations == 0;
                case SOMETIMES, REACHABLE -> held > 0;
            };
        }

        /** {@return this and {@code other} (the same name, in another run) added up} */
        public Assertion plus(Assertion other) {
            if (!other.name.equals(name) || other.kind != kind) {
                throw new IllegalArgumentException("not the same assertion: " + this + ", " + other);
            }
            return new Assertion(name, kind, evaluations + other.evaluations, held + other.held);
        }
    }

    /**
     * {@return what a sweep promised and never kept, one line each (none if it kept everything):
     * a {@code sometimes} or {@code reachable} that never held, a name of {@code expected} that
     * was never reached or is not one of those two kinds}
     *
     * @param totals each assertion's counts, added up over the sweep's seeds (one per name)
     * @param expected names that must have held in some seed ({@code @SimulationTest(expect)})
     */
    public static List<String> unkept(Collection<Assertion> totals,
            Collection<String> expected) {
        Map<String, Assertion> byName = new TreeMap<>();
        totals.forEach(a -> byName.merge(a.name(), a, Assertion::plus));
        Map<String, String> lines = new LinkedHashMap<>();
        for (Assertion a : byName.values()) {
            if ((a.kind() == Kind.SOMETIMES || a.kind() == Kind.REACHABLE) && !a.satisfied()) {
                lines.put(a.name(), a.kind().name().toLowerCase(Locale.ROOT) + " \"" + a.name()
                        + "\": evaluated " + a.evaluations() + " times, never held");
            }
        }
        for (String name : expected) {
            Assertion a = byName.get(name);
            if (a == null) {
                lines.put(name, "expected \"" + name + "\": never reached");
            } else if (a.kind() != Kind.SOMETIMES && a.kind() != Kind.REACHABLE) {
                lines.put(name, "expected \"" + name + "\" is an " + a.kind().name().toLowerCase(Locale.ROOT)
                        + " assertion (expected: sometimes or reachable)");
            }
        }
        return List.copyOf(lines.values());
    }

    /**
     * States that {@code condition} holds here, every time.
     *
     * @throws AssertionError in a simulation, if it does not; the run fails at once
     */
    public static void always(boolean condition, String name) {
        check(Kind.ALWAYS, condition, name);
    }

    /** States that {@code condition} holds here at least once in a sweep of seeds. */
    public static void sometimes(boolean condition, String name) {
        check(Kind.SOMETIMES, condition, name);
    }

    /** States that this place is reached at least once in a sweep of seeds. */
    public static void reachable(String name) {
        check(Kind.REACHABLE, true, name);
    }

    /**
     * States that this place is never reached.
     *
     * @throws AssertionError in a simulation, if it is; the run fails at once
     */
    public static void unreachable(String name) {
        check(Kind.UNREACHABLE, false, name);
    }

    private static void check(Kind kind, boolean condition, String name) {
        Objects.requireNonNull(name, "name");
        Task<?> task = CurrentTask.get();
        Simulation sim = task == null ? null : Simulation.of(task.loop());
        if (sim != null) {
            sim.assertion(kind, condition, name, task);
        }
    }
}
