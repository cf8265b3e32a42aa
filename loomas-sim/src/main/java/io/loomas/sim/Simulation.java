package io.loomas.sim;

import io.loomas.agent.Container;
import io.loomas.agent.ContainerOptions;
import io.loomas.channel.ChannelOptions;
import io.loomas.disk.Disk;
import io.loomas.runtime.Clock;
import io.loomas.runtime.ExceptionHandler;
import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.LoopOptions;
import io.loomas.runtime.Promise;
import io.loomas.runtime.Task;
import io.loomas.runtime.UncaughtFailure;
import io.loomas.runtime.internal.LoopAttachment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * One deterministic world: many containers in one process, on one loop whose seeded scheduler runs
 * one task at a time across all of them, on virtual time, over a simulated network.
 *
 * {@snippet class="io.loomas.snippets.SimSnippets" region="simulation"}
 *
 * <p>The same seed and code produce the same {@link #trace()}, event for event: which task runs
 * next, every latency, every fault come from the seed, and virtual time jumps to the next timer
 * when every task waits, so an hour of simulated time costs milliseconds. Agent, RPC and channel
 * code runs unchanged: containers made by {@link #container} use the simulated network and clock.
 * A failure carries the seed, the virtual time and the code that builds the same simulation again;
 * {@link #checkDeterminism} runs a scenario twice and names the first event where the runs part.
 * Settings that hold for a whole simulation (latency, fault points, budgets) are given to its
 * {@link #builder()}; each simulation is attached to its own loop, so several may live at once.
 *
 * <p>Not thread-safe: drive a simulation from one thread (its {@code run} methods), and use its
 * containers and network from its tasks.
 */
public final class Simulation implements AutoCloseable {
    private static final Instant EPOCH = Instant.parse("2000-01-01T00:00:00Z");

    private final long seed;
    private final Trace trace = new Trace();
    private final SimClock clock;
    private final Loop loop;
    private final SimNetwork network;
    private final RandomGenerator random;
    /** Completed with the reason when the current run cannot go on: a deadlock, a budget spent, a blocked loop. */
    private volatile Promise<String> stop = new Promise<>();
    private final Duration maxVirtualTime;
    private final long maxEvents;
    private final Duration blockingThreshold;
    private final String traceName;
    private final String replay; // the code that builds this simulation again
    private final Scheduling scheduling; // the strategy of this run (a portfolio's pick)
    /** The task that held the loop when a run gave up on it, or null. */
    private volatile Task<?> wedgedBy;
    private boolean traceWritten; // by a failure, or by close() under -Dloomas.trace.always
    /** Failures no code handled (a failed task nobody awaited, a failed callback): each fails the run. */
    private final List<UncaughtFailure> uncaught = new java.util.ArrayList<>(); // guarded by itself
    private final Nodes nodes = new Nodes(this);
    /** Every assertion evaluated so far, by name: {kind, evaluations, held}. */
    private final Map<String, Sim.Assertion> assertions = new TreeMap<>(); // guarded by itself
    /** The chaos phase started last, or null. */
    private NemesisRun nemesis;
    private int nemeses;
    /** The first violated always/unreachable of the current run, or null. */
    private volatile Throwable violation;
    /** Every violation a run failed for: the tasks it ended fail with it, which says nothing new. */
    private final List<Throwable> violations = new java.util.ArrayList<>(); // guarded by uncaught
    private final FaultPoints faultPoints = new FaultPoints(this::stream, this::trace);

    /** How much virtual time a simulation may use, unless {@link Builder#budget} says otherwise. */
    public static final Duration DEFAULT_MAX_VIRTUAL_TIME = Duration.ofDays(7);
    /** How many trace events a simulation may record, unless {@link Builder#budget} says otherwise. */
    public static final long DEFAULT_MAX_EVENTS = 10_000_000;
    /** How long (wall time) a task may hold the loop, unless {@link Builder#blockingThreshold} says otherwise. */
    public static final Duration DEFAULT_BLOCKING_THRESHOLD = Duration.ofSeconds(10);

    private Simulation(Builder b) {
        this.seed = b.seed;
        this.maxVirtualTime = b.maxVirtualTime;
        this.maxEvents = b.maxEvents;
        this.blockingThreshold = b.blockingThreshold;
        this.traceName = b.traceName;
        this.replay = b.replayCode();
        this.faultPoints.setChances(b.buggifyEnabledChance, b.buggifyFireChance);
        this.clock = new SimClock(EPOCH, trace, this::deadlocked, this::outOfVirtualTime);
        this.clock.limit(maxVirtualTime);
        this.trace.limit(maxEvents, this::outOfEvents);
        this.random = stream("user");
        Latency seeded = defaultLatency(stream("profile"));
        this.network = new SimNetwork(this, stream("network"), b.latency != null ? b.latency : seeded);
        RandomGenerator schedulerRandom = stream("scheduler");
        this.scheduling = b.scheduling.resolve(stream("scheduling"));
        this.loop = Loop.create(LoopOptions.DEFAULT.withName("sim-" + seed).withClock(clock)
                .withExceptionHandler(this::uncaught).withDeterministic(true)
                .withScheduler(() -> new SeededScheduler(schedulerRandom, trace, clock,
                        nodes::isPaused, Nodes::nameOf, scheduling)));
        LoopAttachment.set(loop, this);
    }

    /**
     * {@return the simulation the calling task runs in, or null outside one (a real loop, a
     * thread that is not a task)}
     */
    public static Simulation current() {
        Task<?> task = io.loomas.runtime.internal.CurrentTask.get();
        return task == null ? null : of(task.loop());
    }

    /** {@return the simulation whose loop this is, or null} */
    static Simulation of(Loop loop) {
        return LoopAttachment.get(loop, Simulation.class);
    }

    boolean buggifyFires(String site) {
        return faultPoints.fires(site);
    }

    /**
     * {@return the faults this run has in force, in one line: latency, partitions, down nodes, clock
     * skews and the fault points enabled so far}
     */
    public String faultProfile() {
        List<String> enabled = faultPoints.enabled();
        NemesisRun chaos = nemesis;
        return (scheduling.isRandom() ? "" : "scheduling " + scheduling.shortForm() + ", ")
                + "latency " + network.latencyDescription() + network.faultDescription()
                + (enabled.isEmpty() ? "" : ", fault points " + enabled)
                + (chaos == null ? "" : ", nemesis " + chaos.profile() + (chaos.isOver() ? " (over)" : ""));
    }

    /**
     * The latency a seed expands into unless the scenario sets one: a distribution (uniform,
     * exponential or long-tailed) with a typical delay between 0.1 and 10 ms. It is part of the
     * fault profile printed with every failure, so a seed stays meaningful if these defaults change.
     */
    private static Latency defaultLatency(RandomGenerator profile) {
        Duration typical = Duration.ofNanos(1000 * (100 + profile.nextLong(9_900)));
        return switch (profile.nextInt(3)) {
            case 0 -> Latency.uniform(typical.dividedBy(2), typical.multipliedBy(2));
            case 1 -> Latency.exponential(typical);
            default -> Latency.longTail(typical, 0.05, typical.multipliedBy(20));
        };
    }

    /** {@return a new simulation driven by {@code seed}, with the defaults of {@link Builder}} */
    public static Simulation withSeed(long seed) {
        return builder().seed(seed).build();
    }

    /** {@return a builder of simulations; only the seed must be given} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds simulations: the seed, and what a simulation keeps from start to end (the network's
     * latency, fault points, budgets, the trace's name). Faults that change during a run
     * (partitions, crashes, pauses, a new latency) are calls on the simulation and its network.
     *
     * {@snippet class="io.loomas.snippets.SimSnippets" region="builder"}
     *
     * <p>Each setting is checked when it is given; {@link #build()} may be called again for another
     * simulation of the same settings (as {@link Simulation#checkDeterminism} does). Not
     * thread-safe.
     */
    public static final class Builder {
        private Long seed;
        private Latency latency;
        private double buggifyEnabledChance = 0.25;
        private double buggifyFireChance = 0.1;
        private Duration maxVirtualTime = DEFAULT_MAX_VIRTUAL_TIME;
        private long maxEvents = DEFAULT_MAX_EVENTS;
        private Duration blockingThreshold = DEFAULT_BLOCKING_THRESHOLD;
        private String traceName = "simulation";
        private Scheduling scheduling = Scheduling.random();

        private Builder() {}

        /**
         * Sets how the next task is picked among the ready ones ({@link Scheduling#random()} by
         * default): PCT or delay-bounding find bugs that need several steps in one order.
         */
        public Builder scheduling(Scheduling scheduling) {
            this.scheduling = Objects.requireNonNull(scheduling, "scheduling");
            return this;
        }

        /** Sets the seed that decides every choice of the run: schedule, latencies, faults. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the latency of every link instead of the one the seed picks (a distribution with a
         * typical delay between 0.1 and 10 ms). {@code sim.network().setLatency(...)} changes it
         * during a run.
         */
        public Builder latency(Latency latency) {
            this.latency = Objects.requireNonNull(latency, "latency");
            return this;
        }

        /**
         * Sets how likely a {@link Buggify} site is enabled for this seed, and how likely an enabled
         * site fires each time it is reached (0.25 and 0.1 by default; 0 turns fault points off).
         *
         * @throws IllegalArgumentException if a chance is not within [0, 1]
         */
        public Builder buggify(double enabledChance, double fireChance) {
            this.buggifyEnabledChance = checkChance("enabledChance", enabledChance);
            this.buggifyFireChance = checkChance("fireChance", fireChance);
            return this;
        }

        /**
         * Sets the budget of the simulation, for all its runs together: at most
         * {@code maxVirtualTime} of virtual time and {@code maxEvents} trace events (by default 7
         * days and 10 million, a few seconds of real time). A run that would exceed either fails as
         * a suspected livelock, and the failure says what each task was waiting on: a retry loop
         * that never succeeds, or a deadlock hidden by a periodic timer, ends there instead of
         * running for ever.
         *
         * @throws IllegalArgumentException if either is not positive
         */
        public Builder budget(Duration maxVirtualTime, long maxEvents) {
            Objects.requireNonNull(maxVirtualTime, "maxVirtualTime");
            if (!maxVirtualTime.isPositive() || maxEvents <= 0) {
                throw new IllegalArgumentException("budget must be positive: " + maxVirtualTime + ", " + maxEvents
                        + " events (expected: > 0)");
            }
            this.maxVirtualTime = maxVirtualTime;
            this.maxEvents = maxEvents;
            return this;
        }

        /**
         * Sets how long (in wall time) a task may hold the loop without reaching a scheduling point
         * before the run fails, naming the task and where it is (10 s by default). In a
         * simulation, code between two scheduling points costs no virtual time, so a task that
         * holds the loop this long has almost always called something that blocks the thread
         * ({@code Thread.sleep}, blocking I/O, a lock of another thread) or loops without end.
         *
         * @throws IllegalArgumentException if it is not positive
         */
        public Builder blockingThreshold(Duration threshold) {
            Objects.requireNonNull(threshold, "threshold");
            if (!threshold.isPositive()) {
                throw new IllegalArgumentException("threshold must be positive: " + threshold + " (expected: > 0)");
            }
            this.blockingThreshold = threshold;
            return this;
        }

        /**
         * Names the trace file a failed run writes: {@code <name>-seed-<seed>.jsonl} in the trace
         * directory ({@code "simulation"} by default; {@code @SimulationTest} uses the test's class
         * and method; characters other than letters, digits, '.', '_' and '-' become '_'). The
         * directory is {@code -Dloomas.trace.dir} if set, else {@code target/loomas-traces} when the
         * working directory has a {@code target} (a Maven build), else {@code loomas-traces} in the
         * temporary directory; {@code -Dloomas.trace.dir=off} writes no file.
         */
        public Builder traceName(String name) {
            Objects.requireNonNull(name, "name");
            this.traceName = name.replaceAll("[^A-Za-z0-9._-]", "_");
            return this;
        }

        /**
         * {@return a new simulation with these settings}
         *
         * @throws IllegalStateException if no seed was given
         */
        public Simulation build() {
            if (seed == null) {
                throw new IllegalStateException("a simulation needs a seed: builder().seed(n); print it with every"
                        + " failure so the run can be replayed (Simulation.withSeed(n) for the defaults)");
            }
            return new Simulation(this);
        }

        /** {@return the code that builds a simulation of these settings, for replay lines} */
        String replayCode() {
            StringBuilder b = new StringBuilder();
            if (!scheduling.isRandom()) {
                b.append(".scheduling(").append(scheduling).append(')');
            }
            if (latency != null) {
                b.append(".latency(").append(latency).append(')');
            }
            if (buggifyEnabledChance != 0.25 || buggifyFireChance != 0.1) {
                b.append(".buggify(").append(buggifyEnabledChance).append(", ").append(buggifyFireChance).append(')');
            }
            if (!maxVirtualTime.equals(DEFAULT_MAX_VIRTUAL_TIME) || maxEvents != DEFAULT_MAX_EVENTS) {
                b.append(".budget(Duration.parse(\"").append(maxVirtualTime).append("\"), ").append(maxEvents).append(')');
            }
            if (!blockingThreshold.equals(DEFAULT_BLOCKING_THRESHOLD)) {
                b.append(".blockingThreshold(Duration.parse(\"").append(blockingThreshold).append("\"))");
            }
            return b.isEmpty() ? "Simulation.withSeed(" + seed + "L)"
                    : "Simulation.builder().seed(" + seed + "L)" + b + ".build()";
        }

        private static double checkChance(String name, double chance) {
            if (!(chance >= 0 && chance <= 1)) {
                throw new IllegalArgumentException(name + " must be a probability: " + chance + " (expected: 0 to 1)");
            }
            return chance;
        }
    }

    /** {@return the seed} */
    public long seed() {
        return seed;
    }

    /** {@return the virtual clock of every container in the simulation} */
    public Clock clock() {
        return clock;
    }

    /** {@return the loop all containers of the simulation run on} */
    public Loop loop() {
        return loop;
    }

    SimClock simClock() {
        return clock;
    }

    /** {@return the simulated network} */
    public SimNetwork network() {
        return network;
    }

    /** {@return what happened so far} */
    public Trace trace() {
        return trace;
    }

    /** {@return the simulation's random source for scenario code (seeded)} */
    public RandomGenerator random() {
        return random;
    }

    /**
     * {@return a random source of its own for {@code name} (a container, a client): seeded, and
     * independent of every other name, so adding a container does not change the others' numbers}
     */
    public RandomGenerator random(String name) {
        return stream("node:" + name);
    }

    private RandomGenerator stream(String name) {
        long h = 1125899906842597L;
        for (int i = 0; i < name.length(); i++) {
            h = 31 * h + name.charAt(i);
        }
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ h);
    }

    /**
     * {@return options for a container on node {@code node}: the simulated network, the node's clock
     * and the node's seeded random source (the same as {@link #random(String)} with the node's name)}
     */
    public ContainerOptions containerOptions(String node) {
        return ContainerOptions.DEFAULT
                .withChannelOptions(ChannelOptions.DEFAULT.withTransport(network.endpoint(node)))
                .withClock(nodes.clockOf(node))
                .withRandom(random(node));
    }

    /**
     * Creates a container on node {@code node}, listening on {@code local://<node>}. Must be called
     * from a task of this simulation.
     */
    public Container container(String node) throws IOException {
        return container(node, c -> {});
    }

    /**
     * Creates a container on node {@code node} and runs {@code setup} on it (create its agents);
     * {@link #restart} runs the same setup on a fresh container after a {@link #crash}. Must be
     * called from a task of this simulation.
     */
    public Container container(String node, Consumer<Container> setup) throws IOException {
        return nodes.start(node, UnaryOperator.identity(), setup);
    }

    /**
     * Creates a container on node {@code node} with its options changed by {@code options} (a
     * codec, timeouts, call limits: {@code o -> o.withCodec(Codec.msgpack())}), and runs
     * {@code setup} on it; {@link #restart} uses both again. The simulation's transport, clock and
     * random source stay: they keep the node on the simulated network, on virtual time and on the
     * seed.
     *
     * @throws IllegalArgumentException if {@code options} replaces the transport, the clock or the
     *     random source
     */
    public Container container(String node, UnaryOperator<ContainerOptions> options, Consumer<Container> setup)
            throws IOException {
        return nodes.start(node, options, setup);
    }

    /**
     * {@return the durable disk of node {@code node}: the same across its crashes and restarts}
     * What was synced survives a {@link #crash}; writes since a file's last sync may be lost, kept,
     * or kept in part with the last one torn, as the seed decides (each outcome is a {@code disk}
     * event of the trace). Pass it to the node's agents in its setup, as production code passes
     * {@link Disk#directory}:
     *
     * {@snippet class="io.loomas.snippets.SimSnippets" region="disk"}
     */
    public Disk disk(String node) {
        Objects.requireNonNull(node, "node");
        return nodes.diskOf(node);
    }

    /**
     * Runs {@code body} as a task of node {@code node}: it and the tasks it spawns are paused and
     * cancelled with the node.
     */
    public <T> Task<T> spawnOn(String node, String name, Callable<T> body) {
        return loop.spawn(name, nodes.owner(node), body);
    }

    /**
     * Pauses node {@code node} for {@code duration} of virtual time, as a long garbage-collection
     * pause would: its tasks do not run (frames for it wait in its buffers, its timers come due)
     * and go on afterwards. Must be called from a task of this simulation.
     */
    public void pause(String node, Duration duration) {
        nodes.pause(node, duration);
    }

    /** {@return the container running on node {@code node} now, or null if none (never started, or crashed)} */
    public Container containerOf(String node) {
        return nodes.containerOf(node);
    }

    /**
     * Crashes node {@code node}: every connection to it breaks (peers see a reset), it stops
     * listening, every task working for it is cancelled, and its container with all its state is
     * gone; it returns once those tasks have ended. Must be called from a task of this simulation.
     */
    public void crash(String node) {
        nodes.crash(node);
    }

    /**
     * Starts node {@code node} again after a {@link #crash}: a fresh container at the same address,
     * set up as the first one was. Must be called from a task of this simulation.
     *
     * @return the new container
     */
    public Container restart(String node) throws IOException {
        return nodes.restart(node);
    }

    /**
     * Skews node {@code node}'s wall clock ({@code utcNow}) by {@code offset}, drifting by
     * {@code driftPerSecond} seconds per simulated second from now on. Monotonic time ({@code now}),
     * sleeps and timers stay shared by all nodes.
     */
    public void skewClock(String node, Duration offset, double driftPerSecond) {
        nodes.skewClock(node, offset, driftPerSecond);
    }

    /** Counts one evaluation of a {@link Sim} assertion; a violation stops the run and is thrown here. */
    void assertion(Sim.Kind kind, boolean condition, String name, Task<?> task) {
        boolean first;
        synchronized (assertions) {
            Sim.Assertion before = assertions.get(name);
            if (before != null && before.kind() != kind) {
                throw new IllegalArgumentException("assertion \"" + name + "\" is " + before.kind() + " elsewhere, and "
                        + kind + " here (expected: one name per assertion)");
            }
            Sim.Assertion now = new Sim.Assertion(name, kind, 1, condition ? 1 : 0);
            assertions.put(name, before == null ? now : before.plus(now));
            first = condition && (before == null || before.held() == 0);
        }
        boolean violated = kind == Sim.Kind.UNREACHABLE || (kind == Sim.Kind.ALWAYS && !condition);
        if (violated) {
            String what = (kind == Sim.Kind.ALWAYS ? "always \"" + name + "\" does not hold"
                    : "unreachable \"" + name + "\" was reached") + " in task '" + task.name() + "' at virtual time "
                    + clock.now();
            trace("assert", what);
            AssertionError e = new AssertionError(what);
            stopAtOnce(e);
            throw e;
        }
        if (first && kind != Sim.Kind.ALWAYS) {
            trace("assert", kind.name().toLowerCase(java.util.Locale.ROOT) + " \"" + name + "\" holds, first time");
        }
    }

    /** Stops the current run at once for {@code failure}, at this virtual time; the first one counts. */
    void stopAtOnce(Throwable failure) {
        if (violation == null) {
            synchronized (uncaught) {
                violations.add(failure);
            }
            violation = failure;
            clock.freeze(() -> {}); // at once: no timer fires after it
            stop.complete("stopped at once: " + failure);
        }
    }

    /**
     * {@return every {@link Sim} assertion evaluated so far in this simulation, by name, with how
     * often it was evaluated and held: what a sweep adds up}
     */
    public List<Sim.Assertion> assertions() {
        synchronized (assertions) {
            return List.copyOf(assertions.values());
        }
    }

    /** Adds an event to the trace (for scenario code that wants its own marks in it). */
    public void trace(String kind, String detail) {
        trace.add(clock.now(), kind, detail);
    }

    /** Adds an event whose detail becomes text only when the trace is read (the simulator's own, frequent ones). */
    void trace(String kind, Trace.Detail detail) {
        trace.add(clock.now(), kind, detail);
    }

    /**
     * Runs {@code main} as a task of the simulation and returns its result once it completes.
     *
     * @throws SimulationException if it fails or deadlocks; the message names the seed, the
     *     virtual time and how to replay, and the trace is written to a file named there
     */
    public <T> T run(Callable<T> main) {
        Objects.requireNonNull(main, "main");
        if (wedgedBy != null) {
            throw new IllegalStateException("task '" + wedgedBy.name() + "' still holds the loop of this simulation"
                    + " (a run failed for it); close the simulation and start another");
        }
        Promise<String> stuck = new Promise<>();
        Promise<Object> settled = new Promise<>();
        stop = stuck;
        clock.thaw();
        // When main ends, time stops: the tasks that can still run at this instant do, and the run
        // returns once the loop is idle, so what the world looks like afterwards is deterministic.
        Task<T> task = loop.spawn("main", () -> {
            try {
                return main.call();
            } finally {
                clock.freeze(() -> settled.complete(null));
            }
        });
        awaitUnlessStopped(settled, stuck);
        Throwable violated = violation;
        if (violated != null) {
            violation = null;
            clock.freeze(() -> {}); // the tasks left stay as they are for close()
            if (task.isDone()) {
                try {
                    task.result(); // main's failure (the violation, say) counts as looked at
                } catch (RuntimeException | Error ignored) {
                    // reported below if it is not the violation
                }
            }
            loop.reportUnretrievedFailures(); // a task the violation ended fails with it, not at close
            List<UncaughtFailure> unhandled = takeUncaught();
            SimulationException e = failureLedBy(violated, violated instanceof AssertionError
                    ? "failed at once on a violated assertion" : "failed at once: the nemesis could not go on");
            unhandled.forEach(f -> e.addSuppressed(f.error()));
            throw e;
        }
        if (task.isDone() && settled.isDone()) {
            T result = null;
            Throwable failed = null;
            try {
                result = task.result(); // first, so that main's own failure counts as looked at
            } catch (RuntimeException | Error e) {
                failed = e;
            }
            loop.reportUnretrievedFailures(); // a failed task nobody awaited fails the run, now
            List<UncaughtFailure> unhandled = takeUncaught();
            if (failed != null) {
                // Failures no code handled often explain the main task's (a refused thread, a failed
                // callback): name them in the message, not only among the suppressed.
                SimulationException e = failureLedBy(failed, unhandled.isEmpty() ? "failed"
                        : "failed, and there were " + RunReport.unhandled(unhandled));
                unhandled.forEach(f -> e.addSuppressed(f.error()));
                throw e;
            }
            if (!unhandled.isEmpty()) {
                throw unhandledFailure("failed: ", unhandled);
            }
            return result;
        }
        // Time stops, and the tasks left stay as they are for close(), which ends them on the loop
        // in a stable order (cancelling main from this thread would race with the loop).
        clock.freeze(() -> {});
        List<UncaughtFailure> unhandled = takeUncaught();
        SimulationException stopped = failure(stuck.result() + (unhandled.isEmpty() ? ""
                : "\nbefore that, there were " + RunReport.unhandled(unhandled)), unhandled.isEmpty() ? null : unhandled.get(0).error());
        unhandled.stream().skip(1).forEach(f -> stopped.addSuppressed(f.error()));
        throw stopped;
    }


    /** Runs the simulation for {@code duration} of virtual time. */
    public void runFor(Duration duration) {
        run(() -> {
            clock.sleep(duration);
            return null;
        });
    }

    /**
     * Runs until {@code condition} holds, checking it every millisecond of virtual time, for at
     * most {@code limit}.
     *
     * @throws SimulationException if the condition does not hold within the limit
     */
    public void runUntil(BooleanSupplier condition, Duration limit) {
        run(() -> {
            if (!holdsWithin(limit, condition)) {
                throw new IllegalStateException("condition still false after " + limit + " of virtual time");
            }
            return null;
        });
    }

    /**
     * Ends every fault in force, to start a liveness phase: a {@link #nemesis} stops (and undoes
     * its slow links and clogs), partitions heal, down nodes come up, paused nodes resume and
     * crashed nodes restart with their setup (and options). Clock skews stay: real hosts' clocks do
     * not agree either. Must be called from a task of this simulation.
     *
     * @throws IOException if a node cannot restart
     */
    public void endFaults() throws IOException {
        NemesisRun chaos = nemesis;
        if (chaos != null) {
            chaos.stop();
        }
        trace("fault", "faults end");
        network.unclogAll();
        network.healAll();
        network.upAll();
        nodes.resumeAll("faults end");
        for (String node : nodes.crashed()) {
            restart(node);
        }
    }

    /**
     * Starts the chaos phase of {@code nemesis}: a task that, for its duration of virtual time,
     * injects the faults this seed expands it into among the nodes started so far, then ends them
     * all ({@link #endFaults()}). Returns at once. The profile (which kinds, how often) is traced
     * and printed with every failure. Must be called from a task of this simulation.
     *
     * {@snippet class="io.loomas.snippets.SimSnippets" region="nemesis"}
     *
     * @throws IllegalStateException if a chaos phase is running already
     */
    public void nemesis(Nemesis nemesis) {
        Objects.requireNonNull(nemesis, "nemesis");
        if (this.nemesis != null && !this.nemesis.isOver()) {
            throw new IllegalStateException("a nemesis runs already: " + this.nemesis.profile()
                    + " (expected: one chaos phase at a time; endFaults() ends it)");
        }
        NemesisRun run = new NemesisRun(this, nodes, nemesis, stream("nemesis:" + ++nemeses), faultPoints);
        this.nemesis = run;
        run.start();
    }

    /**
     * The liveness phase of a test in one call: waits for the chaos phase of the {@link #nemesis}
     * to end (if one runs), ends every fault ({@link #endFaults()}), then requires
     * {@code condition} within {@code within} of virtual time, as {@link #eventually} does. Must
     * be called from a task of this simulation.
     *
     * @throws SimulationException if it has not happened by then, naming it and what every task waits on
     */
    public void liveness(Duration within, String what, BooleanSupplier condition) throws IOException {
        Objects.requireNonNull(within, "within");
        NemesisRun chaos = nemesis;
        if (chaos != null && !chaos.isOver()) {
            Future.allSettled(List.of(chaos.task())).await();
        }
        endFaults();
        eventually(within, what, condition);
    }

    /**
     * Waits until {@code condition} holds, checking it whenever the simulation is idle and then
     * every millisecond of virtual time, for at most {@code within}: the liveness check of a test,
     * usually after {@link #endFaults()}. Must be called from a task of this simulation (in
     * {@code @SimulationTest}, the test method).
     *
     * {@snippet class="io.loomas.snippets.SimSnippets" region="eventually"}
     *
     * @param what names what must happen, for the failure ("every client's lock request is answered")
     * @throws SimulationException if it has not happened by then, naming it and what every task waits on
     */
    public void eventually(Duration within, String what, BooleanSupplier condition) {
        Objects.requireNonNull(within, "within");
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(condition, "condition");
        Duration start = clock.now();
        if (!holdsWithin(within, condition)) {
            StringBuilder sb = new StringBuilder("liveness: ").append(what).append(" did not happen within ")
                    .append(within).append(" of virtual time (from ").append(start).append(" to ")
                    .append(clock.now()).append(", seed=").append(seed).append("). The tasks:");
            RunReport.appendTasks(sb, loop);
            throw new SimulationException(sb.toString(), seed, null);
        }
    }

    /**
     * Waits from a task of this simulation until {@code condition} holds, checking it at once,
     * whenever the loop is idle and then every millisecond of virtual time, for at most {@code within}.
     *
     * @return whether it held in time
     */
    private boolean holdsWithin(Duration within, BooleanSupplier condition) {
        Duration end = clock.now().plus(within);
        while (!condition.getAsBoolean()) {
            if (clock.now().compareTo(end) >= 0) {
                return false;
            }
            Loop.runUntilIdle();
            if (!condition.getAsBoolean()) {
                clock.sleep(Duration.ofMillis(1));
            }
        }
        return true;
    }

    /**
     * Waits on this (the driving) thread until {@code finished} completes or {@code stuck} says why
     * it never will (a deadlock, a budget spent, a task blocking the loop, which the watchdog looks
     * for meanwhile).
     */
    private void awaitUnlessStopped(Future<?> finished, Promise<String> stuck) {
        Promise<Object> done = new Promise<>();
        finished.onComplete(f -> done.complete(null));
        stuck.onComplete(f -> done.complete(null));
        ScheduledFuture<?> watchdog = BlockedTaskWatchdog.watch(loop, trace, blockingThreshold, (task, report) -> {
            wedgedBy = task;
            stuck.complete(report);
        });
        try {
            done.await();
        } finally {
            watchdog.cancel(false);
        }
    }

    /** Called by the clock when the next timer lies beyond the virtual-time budget. */
    private void outOfVirtualTime(Duration next) {
        stop.complete(budgetReport("the virtual-time budget of " + maxVirtualTime + " is spent (the next timer is due at "
                + next + ")"));
    }

    /** Called by the trace when it reaches the event budget. */
    private void outOfEvents() {
        clock.freeze(() -> {}); // a livelock on timers stops here; tasks that only yield stop at close
        stop.complete(budgetReport("the budget of " + maxEvents + " trace events is spent"));
    }

    private String budgetReport(String what) {
        StringBuilder sb = new StringBuilder("suspected livelock: ").append(what).append(" at virtual time ")
                .append(clock.now()).append(" (Simulation.builder().budget, or @SimulationTest(maxVirtualTime, maxEvents));")
                .append(" a task retries without end, or a timer keeps a deadlock busy. The tasks:");
        RunReport.appendTasks(sb, loop);
        return sb.toString();
    }

    /** Keeps at most {@code events} trace events in memory before streaming to a file (for tests). */
    void useTraceWindow(int events) {
        trace.setWindow(events);
    }

    /**
     * The system property that sets how many events a failed run's trace file keeps at most (the
     * first tenth and the last nine tenths; 1,000,000 by default, about 200 MB).
     */
    public static final String TRACE_FILE_EVENTS_PROPERTY = "loomas.trace.fileEvents";
    private static final long DEFAULT_TRACE_FILE_EVENTS = 1_000_000;

    /** The system property that sets where failed runs write their traces, or "off". */
    public static final String TRACE_DIR_PROPERTY = "loomas.trace.dir";

    /**
     * The system property that makes every run write its trace file when it closes, failed or
     * not ({@code true}); a failed run writes it when it fails, as always, and not again.
     */
    public static final String TRACE_ALWAYS_PROPERTY = "loomas.trace.always";

    /** {@return where the trace went, in words: its path, or why there is no file} */
    private String writeTraceFile() {
        Path file = traceFile();
        if (file == null) {
            return "(no file: -D" + TRACE_DIR_PROPERTY + "=off)";
        }
        traceWritten = true;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            trace.writeJsonLines(file, Long.getLong(TRACE_FILE_EVENTS_PROPERTY, DEFAULT_TRACE_FILE_EVENTS));
            return file.toString();
        } catch (IOException e) {
            return "(not written: " + e.getMessage() + ")";
        }
    }

    /** {@return the file a failed run's trace goes to, or null if traces are switched off} */
    Path traceFile() {
        String configured = System.getProperty(TRACE_DIR_PROPERTY);
        if ("off".equals(configured)) {
            return null;
        }
        Path dir = configured != null ? Path.of(configured)
                : Files.isDirectory(Path.of("target")) ? Path.of("target", "loomas-traces")
                : Path.of(System.getProperty("java.io.tmpdir"), "loomas-traces");
        return dir.resolve(traceName + "-seed-" + seed + ".jsonl");
    }

    /**
     * {@return a failure whose message leads with {@code cause} (the user's own assertion, say),
     * then the replay line}
     */
    private SimulationException failureLedBy(Throwable cause, String what) {
        String text = cause.getMessage() == null ? "" : cause.getMessage().strip();
        String headline = cause instanceof AssertionError && !text.isEmpty() ? text
                : cause.getClass().getName() + (text.isEmpty() ? "" : ": " + text);
        SimulationException e = failure(what, cause);
        return new SimulationException(headline + "\n" + e.getMessage(), seed, cause);
    }

    private SimulationException failure(String what, Throwable cause) {
        // The trace ends with the failure, so a reader of the file alone sees what failed and where.
        trace.add(clock.now(), "failure", what + (cause == null ? "" : "\n" + cause.getClass().getName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage().strip()) + "\n"
                + LibraryFrames.place(cause.getStackTrace())) + "\nreplay with " + replay);
        String tracePath = writeTraceFile();
        return new SimulationException("simulation " + what + " (seed=" + seed + ", virtual time " + clock.now()
                + ", faults: " + faultProfile() + RunReport.faultHistory(trace) + ", " + trace.size() + " trace events in " + tracePath
                + "); replay with " + replay, seed, cause);
    }


    /** The loop's exception handler: logs the failure as usual and keeps it to fail the run. */
    private void uncaught(Loop l, UncaughtFailure failure) {
        ExceptionHandler.logging().handle(l, failure);
        synchronized (uncaught) {
            uncaught.add(failure);
        }
    }

    private List<UncaughtFailure> takeUncaught() {
        synchronized (uncaught) {
            List<UncaughtFailure> all = uncaught.stream().filter(f -> !isViolation(f.error())).toList();
            uncaught.clear();
            return all;
        }
    }

    private boolean isViolation(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            for (Throwable v : violations) {
                if (t == v) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@return a failure naming each failure no code handled, the first one as its cause} */
    private SimulationException unhandledFailure(String what, List<UncaughtFailure> unhandled) {
        SimulationException e = failure(what + RunReport.unhandled(unhandled), unhandled.get(0).error());
        unhandled.stream().skip(1).forEach(f -> e.addSuppressed(f.error()));
        return e;
    }



    /** Called by the clock when every task waits and no timer is pending. */
    private void deadlocked() {
        List<Task<?>> tasks = loop.tasks();
        if (tasks.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder("deadlocked: every task waits and no timer is pending at virtual time ")
                .append(clock.now()).append(':');
        RunReport.appendTasks(sb, loop);
        stop.complete(sb.toString());
    }



    /**
     * Closes the loop: every task left is cancelled (time moves again for their cleanup).
     *
     * @throws SimulationException if a task failed while it was cancelled and no code looked at it
     */
    @Override
    public void close() {
        takeUncaught(); // reported by a run already, which failed for them
        if (!loop.isClosed()) {
            shutDownOnTheLoop();
        }
        List<UncaughtFailure> unhandled = takeUncaught();
        if (!unhandled.isEmpty()) {
            throw unhandledFailure("closed with ", unhandled);
        }
        if (!traceWritten && Boolean.getBoolean(TRACE_ALWAYS_PROPERTY)) {
            writeTraceFile();
        }
    }

    /**
     * Ends the tasks left as part of the deterministic run: paused nodes resume, the budget is
     * lifted, and a task of the loop cancels the others and awaits them (up to the loop's grace, in
     * virtual time), so the order of their endings comes from the seed, not from this thread.
     */
    private void shutDownOnTheLoop() {
        Task<?> holder = wedgedBy;
        if (holder != null) {
            org.slf4j.LoggerFactory.getLogger(Simulation.class).warn("[{}] task '{}' still holds the loop, so the"
                    + " simulation's tasks are left as they are (the run failed for it)", loop.name(), holder.name());
            return;
        }
        nodes.resumeAll("the simulation closes");
        clock.limit(null);
        trace.limit(Long.MAX_VALUE, () -> {});
        clock.thaw();
        Promise<String> stuck = new Promise<>();
        stop = stuck;
        Task<Boolean> shutdown = loop.spawn("shutdown", null, () -> loop.shutdown(Loop.DEFAULT_GRACE));
        awaitUnlessStopped(shutdown, stuck);
        if (!shutdown.isDone()) {
            throw new SimulationException("simulation could not close (seed=" + seed + "): " + stop.result(), seed, null);
        }
    }

    /**
     * Runs {@code scenario} twice with {@code seed}, closing each simulation, and compares the two
     * runs: their traces event for event, and how they ended. A scenario that fails is still run
     * twice; if both runs fail the same way at the same event, that failure is thrown.
     *
     * @throws SimulationException naming the first event where the two runs differ, with both
     *     sides, or both endings if the events match but one run failed otherwise than the other
     */
    public static void checkDeterminism(long seed, Consumer<Simulation> scenario) {
        checkDeterminism(builder().seed(seed), scenario);
    }

    /**
     * Runs {@code scenario} twice in simulations built from {@code settings} and compares the two
     * runs, as {@link #checkDeterminism(long, Consumer)} does.
     *
     * @throws IllegalStateException if the settings have no seed
     */
    public static void checkDeterminism(Builder settings, Consumer<Simulation> scenario) {
        Determinism.check(Objects.requireNonNull(settings, "settings"), scenario);
    }

    /**
     * Judges two closed runs of the same seed as {@link #checkDeterminism} does, for a test kit that
     * runs them itself: their traces event for event, then how they ended.
     *
     * @param firstFailure how the first run failed, or null if it passed; the same for the second
     * @throws SimulationException naming the first event where the runs differ, or both endings
     * @throws RuntimeException the failure both runs share, if they failed the same way
     */
    public static void compareRuns(Simulation first, Throwable firstFailure, Simulation second, Throwable secondFailure) {
        Determinism.compare(first.seed(), first.trace(), firstFailure, second.trace(), secondFailure);
    }
}
