package io.loomas.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A seeded fault schedule for the chaos phase of a test: switched on with one line,
 * {@code sim.nemesis(Nemesis.swarm())}, or {@code @SimulationTest(faults = "swarm")}.
 *
 * {@snippet class="io.loomas.snippets.SimSnippets" region="nemesis"}
 *
 * <p><b>Swarm testing</b> (Groce et al., ISSTA 2012): the seed first picks which fault kinds are
 * enabled for this run (each with even chance, at least one), how often each comes, and the
 * average gap between faults (0.1 to 5 s); then, for the chaos phase, it injects one fault after
 * another among the nodes started so far. A run with few kinds goes deep into them (only
 * partitions, often); a sweep covers every mix. The profile is traced when the phase starts,
 * printed with every failure, and each fault is a {@code fault} event of the trace.
 *
 * <p>The kinds ({@link Fault}) and what each does:
 * <ul>
 *   <li>{@code PARTITION}: random halves, one node isolated, one way, or a bridge (two halves
 *       that only one node reaches both of), healed after a while; one partition at a time;
 *   <li>{@code RESET}: the connections between two nodes break;
 *   <li>{@code CRASH}: a node crashes and restarts after a while from its setup (its
 *       {@link Simulation#disk disk} survives);
 *   <li>{@code PAUSE}: a node stops, as in a long garbage-collection pause;
 *   <li>{@code CLOCK}: a node's wall clock jumps (up to 10 s either way) and drifts (up to 0.1%);
 *   <li>{@code LATENCY}: the link between two nodes gets slow (50 ms to 2 s) for a while;
 *   <li>{@code CLOG}: everything a node sends waits for a while, as if its network stalled;
 *   <li>{@code BUGGIFY}: {@link Buggify} fault points are on for the run with seeded chances, or
 *       off; when this kind is not allowed, the simulation's own chances stay.
 * </ul>
 *
 * <p>At most a minority of the nodes (one of two or three, two of five) is crashed or paused at
 * once. When the phase ends, {@link Simulation#endFaults()} runs: every partition heals, slow links
 * recover, paused nodes resume, crashed ones restart; clock skews stay. Immutable.
 */
public final class Nemesis {
    /** A kind of fault the nemesis may inject. */
    public enum Fault { PARTITION, RESET, CRASH, PAUSE, CLOCK, LATENCY, CLOG, BUGGIFY }

    /** How long the chaos phase lasts unless {@link #chaosFor} says otherwise. */
    public static final Duration DEFAULT_CHAOS = Duration.ofMinutes(1);

    private final Set<Fault> allowed;
    private final List<String> nodes; // empty: every node
    private final List<String> crashable; // empty: every node the nemesis touches
    private final Duration chaos;
    private final Duration meanGap; // null: the seed picks
    private final boolean swarm;

    private Nemesis(Set<Fault> allowed, List<String> nodes, List<String> crashable, Duration chaos, Duration meanGap,
            boolean swarm) {
        this.allowed = allowed;
        this.nodes = nodes;
        this.crashable = crashable;
        this.chaos = chaos;
        this.meanGap = meanGap;
        this.swarm = swarm;
    }

    /** {@return a swarm over every fault kind, for {@link #DEFAULT_CHAOS}, on every node} */
    public static Nemesis swarm() {
        return new Nemesis(EnumSet.allOf(Fault.class), List.of(), List.of(), DEFAULT_CHAOS, null, true);
    }

    /**
     * {@return the nemesis {@code text} names, as {@code @SimulationTest(faults = ...)} takes it:
     * {@code "swarm"}, or {@code "swarm(partition, crash)"} for a swarm over those kinds only}
     *
     * @throws IllegalArgumentException if it names none
     */
    public static Nemesis parse(String text) {
        String t = Objects.requireNonNull(text, "text").strip();
        if (t.equals("swarm")) {
            return swarm();
        }
        if (t.startsWith("swarm(") && t.endsWith(")")) {
            List<Fault> kinds = new ArrayList<>();
            for (String k : t.substring(6, t.length() - 1).split(",")) {
                try {
                    kinds.add(Fault.valueOf(k.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("not a fault kind: \"" + k.strip() + "\" in \"" + text
                            + "\" (expected some of " + kindList(EnumSet.allOf(Fault.class)) + ")", e);
                }
            }
            return swarm().only(kinds.toArray(Fault[]::new));
        }
        throw new IllegalArgumentException("not a nemesis: \"" + text + "\" (expected: swarm, or swarm(kind, ...) with"
                + " kinds among " + kindList(EnumSet.allOf(Fault.class)) + ")");
    }

    /**
     * {@return this nemesis choosing among {@code kinds} only}
     *
     * @throws IllegalArgumentException if no kind is given
     */
    public Nemesis only(Fault... kinds) {
        if (kinds.length == 0) {
            throw new IllegalArgumentException("a nemesis needs at least one fault kind");
        }
        return new Nemesis(EnumSet.copyOf(List.of(kinds)), nodes, crashable, chaos, meanGap, swarm);
    }

    /**
     * {@return this nemesis without {@code kinds}}
     *
     * @throws IllegalArgumentException if no kind would be left
     */
    public Nemesis without(Fault... kinds) {
        EnumSet<Fault> left = EnumSet.copyOf(allowed);
        List.of(kinds).forEach(left::remove);
        if (left.isEmpty()) {
            throw new IllegalArgumentException("a nemesis needs at least one fault kind (all were removed)");
        }
        return new Nemesis(left, nodes, crashable, chaos, meanGap, swarm);
    }

    /** {@return this nemesis touching only {@code nodes} (by default, every node started)} */
    public Nemesis nodes(String... nodes) {
        return new Nemesis(allowed, List.copyOf(new TreeSet<>(List.of(nodes))), crashable, chaos, meanGap, swarm);
    }

    /** {@return this nemesis crashing and pausing only {@code nodes} (by default, any node it touches)} */
    public Nemesis crashable(String... nodes) {
        return new Nemesis(allowed, this.nodes, List.copyOf(new TreeSet<>(List.of(nodes))), chaos, meanGap, swarm);
    }

    /**
     * {@return this nemesis with a chaos phase of {@code duration} of virtual time}
     *
     * @throws IllegalArgumentException if it is not positive
     */
    public Nemesis chaosFor(Duration duration) {
        if (!Objects.requireNonNull(duration, "duration").isPositive()) {
            throw new IllegalArgumentException("the chaos phase must last a while: " + duration);
        }
        return new Nemesis(allowed, nodes, crashable, duration, meanGap, swarm);
    }

    /**
     * {@return this nemesis injecting a fault every {@code gap} on average (by default the seed
     * picks one between 0.1 and 5 s)}
     *
     * @throws IllegalArgumentException if it is not positive
     */
    public Nemesis every(Duration gap) {
        if (!Objects.requireNonNull(gap, "gap").isPositive()) {
            throw new IllegalArgumentException("the gap between faults must be positive: " + gap);
        }
        return new Nemesis(allowed, nodes, crashable, chaos, gap, swarm);
    }

    /**
     * {@return this nemesis with every allowed kind enabled in every run, instead of a seeded
     * subset: for a test that must see each kind every time}
     */
    public Nemesis allKindsEveryRun() {
        return new Nemesis(allowed, nodes, crashable, chaos, meanGap, false);
    }

    Set<Fault> allowed() {
        return allowed;
    }

    List<String> nodes() {
        return nodes;
    }

    List<String> crashable() {
        return crashable;
    }

    Duration chaos() {
        return chaos;
    }

    Duration meanGap() {
        return meanGap;
    }

    boolean isSwarm() {
        return swarm;
    }

    static String kindList(Set<Fault> kinds) {
        return kinds.stream().map(k -> k.name().toLowerCase(Locale.ROOT)).toList().toString();
    }

    /** {@return the code that makes this nemesis} */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Nemesis.swarm()");
        if (!allowed.equals(EnumSet.allOf(Fault.class))) {
            b.append(".only(").append(String.join(", ", allowed.stream().map(k -> "Fault." + k).toList())).append(')');
        }
        if (!nodes.isEmpty()) {
            b.append(".nodes(\"").append(String.join("\", \"", nodes)).append("\")");
        }
        if (!crashable.isEmpty()) {
            b.append(".crashable(\"").append(String.join("\", \"", crashable)).append("\")");
        }
        if (!chaos.equals(DEFAULT_CHAOS)) {
            b.append(".chaosFor(Duration.parse(\"").append(chaos).append("\"))");
        }
        if (meanGap != null) {
            b.append(".every(Duration.parse(\"").append(meanGap).append("\"))");
        }
        if (!swarm) {
            b.append(".allKindsEveryRun()");
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Nemesis n && n.allowed.equals(allowed) && n.nodes.equals(nodes)
                && n.crashable.equals(crashable) && n.chaos.equals(chaos) && Objects.equals(n.meanGap, meanGap)
                && n.swarm == swarm;
    }

    @Override
    public int hashCode() {
        return Objects.hash(allowed, nodes, crashable, chaos, meanGap, swarm);
    }
}
