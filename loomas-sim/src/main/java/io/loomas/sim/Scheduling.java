package io.loomas.sim;

import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a simulation picks the next task among the ready ones: the strategy that decides which
 * interleavings a sweep of seeds explores.
 *
 * <ul>
 *   <li>{@link #random()} (the default): a uniform pick at every step. Good at short races,
 *       weak at bugs that need several steps in one order.
 *   <li>{@link #pct(int)}: probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010).
 *       Each task gets a random priority when first seen and the highest-priority ready task runs;
 *       at {@code depth - 1} seeded steps the running task drops below all others. A bug that
 *       needs {@code depth} ordering constraints is found with a probability that shrinks with the
 *       number of steps only polynomially, where a uniform pick shrinks exponentially.
 *   <li>{@link #delayBounded(int)}: tasks run in the order they became ready, as on a real loop,
 *       except at {@code delays} seeded steps, where the task next in line is put back at the end
 *       (Emmi, Qadeer and Rakamarić, POPL 2011). Explores the schedules closest to the real one.
 *   <li>{@link #portfolio()}: the seed picks one of the above and its bound, so one sweep mixes
 *       them.
 * </ul>
 *
 * {@snippet class="io.loomas.snippets.SimSnippets" region="scheduling"}
 *
 * <p>Under PCT a task keeps its priority when it yields: a task that spins on
 * {@code Loop.yieldNow()} until a lower-ranked one has done something spins for ever (the event
 * budget then fails the run as a suspected livelock). Wait on a {@code Future}, an {@code Event} or
 * a queue instead; {@code Loop.runUntilIdle()} is safe, as it waits until no other task is ready.
 *
 * <p>The strategy is part of the replay line a failure prints; its steps come from the seed, so a
 * run replays exactly. Where the steps of a change point or delay fall: uniformly within the first
 * {@code steps} scheduling decisions if given, else log-uniformly within the first 10,000, so that
 * short runs and long ones both get them. Immutable.
 */
public final class Scheduling {
    private static final int DEFAULT_HORIZON = 10_000;
    private static final Pattern FORM = Pattern.compile(
            "\\s*(random|portfolio|pct|delays)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?\\s*");

    enum Kind { RANDOM, PCT, DELAYS, PORTFOLIO }

    private final Kind kind;
    private final int bound; // PCT: depth; delays: how many
    private final int steps; // 0: log-uniform within DEFAULT_HORIZON

    private Scheduling(Kind kind, int bound, int steps) {
        this.kind = kind;
        this.bound = bound;
        this.steps = steps;
    }

    /** {@return a uniform random pick among the ready tasks at every step} */
    public static Scheduling random() {
        return new Scheduling(Kind.RANDOM, 0, 0);
    }

    /**
     * {@return PCT with {@code depth} (1 to 100): random task priorities and {@code depth - 1}
     * change points}
     *
     * @throws IllegalArgumentException if depth is out of range
     */
    public static Scheduling pct(int depth) {
        return new Scheduling(Kind.PCT, check("depth", depth, 1), 0);
    }

    /**
     * {@return PCT whose change points fall uniformly within the first {@code steps} scheduling
     * decisions: use it when a run's length is known}
     *
     * @throws IllegalArgumentException if depth or steps is out of range
     */
    public static Scheduling pct(int depth, int steps) {
        return new Scheduling(Kind.PCT, check("depth", depth, 1), checkSteps(steps));
    }

    /**
     * {@return ready order with {@code delays} (0 to 100) seeded delays}
     *
     * @throws IllegalArgumentException if delays is out of range
     */
    public static Scheduling delayBounded(int delays) {
        return new Scheduling(Kind.DELAYS, check("delays", delays, 0), 0);
    }

    /**
     * {@return ready order with {@code delays} delays that fall uniformly within the first
     * {@code steps} scheduling decisions}
     *
     * @throws IllegalArgumentException if delays or steps is out of range
     */
    public static Scheduling delayBounded(int delays, int steps) {
        return new Scheduling(Kind.DELAYS, check("delays", delays, 0), checkSteps(steps));
    }

    /**
     * {@return a strategy the seed picks for each run: random, PCT of depth 2 to 4, or ready order
     * with 1 to 3 delays, a third of the seeds each}
     */
    public static Scheduling portfolio() {
        return new Scheduling(Kind.PORTFOLIO, 0, 0);
    }

    /**
     * {@return the strategy {@code text} names: {@code random}, {@code portfolio}, {@code pct(3)},
     * {@code pct(3, 500)}, {@code delays(2)} or {@code delays(2, 500)}} (as in
     * {@code @SimulationTest(scheduling = "pct(3)")} and {@code -Dloomas.scheduling})
     *
     * @throws IllegalArgumentException if it names none
     */
    public static Scheduling parse(String text) {
        Objects.requireNonNull(text, "text");
        Matcher m = FORM.matcher(text);
        if (!m.matches() || (m.group(2) == null) != (m.group(1).equals("random") || m.group(1).equals("portfolio"))) {
            throw new IllegalArgumentException("not a scheduling strategy: \"" + text
                    + "\" (expected: random, portfolio, pct(depth), pct(depth, steps), delays(n) or delays(n, steps))");
        }
        int bound = m.group(2) == null ? 0 : parseInt(m.group(2), text);
        boolean withSteps = m.group(3) != null;
        int steps = withSteps ? parseInt(m.group(3), text) : 0;
        return switch (m.group(1)) {
            case "random" -> random();
            case "portfolio" -> portfolio();
            case "pct" -> withSteps ? pct(bound, steps) : pct(bound);
            default -> withSteps ? delayBounded(bound, steps) : delayBounded(bound);
        };
    }

    private static int parseInt(String digits, String text) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a scheduling strategy: \"" + text + "\" (" + digits + " is too large)", e);
        }
    }

    private static int check(String what, int value, int min) {
        if (value < min || value > 100) {
            throw new IllegalArgumentException(what + " must be within [" + min + ", 100]: " + value);
        }
        return value;
    }

    private static int checkSteps(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be positive: " + steps);
        }
        return steps;
    }

    /** {@return the concrete strategy of one run: a portfolio picks with {@code random}, others are themselves} */
    Scheduling resolve(RandomGenerator random) {
        if (kind != Kind.PORTFOLIO) {
            return this;
        }
        return switch (random.nextInt(3)) {
            case 0 -> random();
            case 1 -> pct(2 + random.nextInt(3));
            default -> delayBounded(1 + random.nextInt(3));
        };
    }

    Kind kind() {
        return kind;
    }

    boolean isRandom() {
        return kind == Kind.RANDOM;
    }

    /** {@return the step (1-based) of each of {@code count} change points or delays, drawn from {@code random}} */
    long[] steps(int count, RandomGenerator random) {
        long[] at = new long[count];
        for (int i = 0; i < count; i++) {
            at[i] = steps > 0 ? 1 + random.nextLong(steps)
                    : Math.min(DEFAULT_HORIZON, (long) Math.floor(Math.exp(random.nextDouble() * Math.log(DEFAULT_HORIZON + 1))));
        }
        return at;
    }

    int bound() {
        return bound;
    }

    /** {@return the code that makes this strategy, as a replay line prints it} */
    @Override
    public String toString() {
        String form = shortForm();
        return switch (kind) {
            case RANDOM, PORTFOLIO -> "Scheduling." + form + "()";
            case PCT -> "Scheduling." + form;
            case DELAYS -> "Scheduling.delayBounded" + form.substring("delays".length());
        };
    }

    /** {@return the short form {@link #parse} reads} */
    String shortForm() {
        String args = steps > 0 ? "(" + bound + ", " + steps + ")" : "(" + bound + ")";
        return switch (kind) {
            case RANDOM -> "random";
            case PORTFOLIO -> "portfolio";
            case PCT -> "pct" + args;
            case DELAYS -> "delays" + args;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Scheduling s && s.kind == kind && s.bound == bound && s.steps == steps;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, bound, steps);
    }
}
