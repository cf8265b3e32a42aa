package io.loomas.sim;

import io.loomas.agent.Container;
import io.loomas.agent.ContainerOptions;
import io.loomas.channel.ChannelOptions;
import io.loomas.runtime.Clock;
import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.LoopOptions;
import io.loomas.runtime.Promise;
import io.loomas.runtime.ExceptionHandler;
import io.loomas.runtime.Task;
import io.loomas.runtime.UncaughtFailure;
import io.loomas.transport.Address;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * One deterministic world: many containers in one process, on one loop whose seeded scheduler runs
 * one task at a time across all of them, on virtual time, over a simulated network.
 *
 * <pre>{@code
 * try (Simulation sim = Simulation.withSeed(42)) {
 *     sim.network().setLatency(Latency.uniform(Duration.ofMillis(1), Duration.ofMillis(20)));
 *     Object reply = sim.run(() -> {
 *         Container a = sim.container("a");
 *         Container b = sim.container("b");
 *         Echo echo = new Echo(b);
 *         return a.connect(echo.address()).call("echo", "hi");
 *     });
 * }
 * }</pre>
 *
 * <p>The same seed and code produce the same {@link #trace()}, event for event: which task runs
 * next, every latency, every fault come from the seed, and virtual time jumps to the next timer
 * when every task waits, so an hour of simulated time costs milliseconds. Agent, RPC and channel
 * code runs unchanged: containers made by {@link #container} use the simulated network and clock.
 * A failure carries the seed and the virtual time; {@link #checkDeterminism} runs a scenario twice
 * and names the first event where the runs part.
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
    private volatile Promise<String> deadlock = new Promise<>();
    /** Failures no code handled (a failed task nobody awaited, a failed callback): each fails the run. */
    private final List<UncaughtFailure> uncaught = new java.util.ArrayList<>(); // guarded by itself
    private final java.util.Map<String, Node> nodes = new java.util.LinkedHashMap<>();
    private final java.util.Map<String, RandomGenerator> buggifySites = new java.util.TreeMap<>();
    private double buggifyEnabledChance = 0.25;
    private double buggifyFireChance = 0.1;
    private static final java.util.Map<Loop, Simulation> RUNNING = new java.util.concurrent.ConcurrentHashMap<>();

    /** A named node: its clock, its current container, and how to set it up again after a crash. */
    private static final class Node {
        final String name;
        final NodeClock clock;
        Container container;
        Consumer<Container> setup;
        boolean paused;

        Node(String name, NodeClock clock) {
            this.name = name;
            this.clock = clock;
        }

        @Override
        public String toString() {
            return "node " + name;
        }
    }

    private Simulation(long seed) {
        this.seed = seed;
        this.clock = new SimClock(EPOCH, trace, this::deadlocked);
        this.random = stream("user");
        this.network = new SimNetwork(this, stream("network"), defaultLatency(stream("profile")));
        RandomGenerator schedulerRandom = stream("scheduler");
        this.loop = Loop.create(LoopOptions.DEFAULT.withName("sim-" + seed).withClock(clock)
                .withExceptionHandler(this::uncaught)
                .withScheduler(() -> new SeededScheduler(schedulerRandom, trace, clock,
                        owner -> owner instanceof Node n && n.paused)));
        RUNNING.put(loop, this);
    }

    /** {@return the simulation whose loop this is, or null} */
    static Simulation of(Loop loop) {
        return RUNNING.get(loop);
    }

    /**
     * Sets how likely a {@link Buggify} site is enabled for this seed, and how likely an enabled
     * site fires each time it is reached (0.25 and 0.1 by default; 0 turns fault points off).
     */
    public void setBuggify(double enabledChance, double fireChance) {
        this.buggifyEnabledChance = enabledChance;
        this.buggifyFireChance = fireChance;
    }

    boolean buggifyFires(String site) {
        RandomGenerator r = buggifySites.get(site);
        if (r == null) {
            RandomGenerator stream = stream("buggify:" + site);
            boolean enabled = stream.nextDouble() < buggifyEnabledChance;
            r = enabled ? stream : DISABLED;
            buggifySites.put(site, r);
            trace("buggify", site + (enabled ? " enabled" : " disabled"));
        }
        if (r == DISABLED) {
            return false;
        }
        boolean fires = r.nextDouble() < buggifyFireChance;
        if (fires) {
            trace("buggify", site + " fired");
        }
        return fires;
    }

    private static final RandomGenerator DISABLED = new SplittableRandom(0);

    /**
     * {@return the faults this run has in force, in one line: latency, partitions, down nodes, clock
     * skews and the fault points enabled so far}
     */
    public String faultProfile() {
        List<String> enabled = buggifySites.entrySet().stream().filter(e -> e.getValue() != DISABLED)
                .map(java.util.Map.Entry::getKey).toList();
        return "latency " + network.latencyDescription() + network.faultDescription()
                + (enabled.isEmpty() ? "" : ", fault points " + enabled);
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

    /** {@return a new simulation driven by {@code seed}} */
    public static Simulation withSeed(long seed) {
        return new Simulation(seed);
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
                .withClock(node(node).clock)
                .withRandom(random(node));
    }

    private Node node(String name) {
        return nodes.computeIfAbsent(name, n -> new Node(n, new NodeClock(clock)));
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
        Objects.requireNonNull(setup, "setup");
        Node n = node(node);
        if (n.container != null) {
            throw new IllegalStateException("node " + node + " has a container already (expected: crash it before starting another)");
        }
        n.setup = setup;
        // The container's tasks (and theirs) work for the node, so pause and crash can find them.
        n.container = loop.spawn("start " + node, n, () -> {
            Container c = Container.create(Address.local(node), containerOptions(node));
            setup.accept(c);
            return c;
        }).await();
        return n.container;
    }

    /**
     * Runs {@code body} as a task of node {@code node}: it and the tasks it spawns are paused and
     * cancelled with the node.
     */
    public <T> Task<T> spawnOn(String node, String name, Callable<T> body) {
        return loop.spawn(name, node(node), body);
    }

    /**
     * Pauses node {@code node} for {@code duration} of virtual time, as a long garbage-collection
     * pause would: its tasks do not run (frames for it wait in its buffers, its timers come due)
     * and go on afterwards. Must be called from a task of this simulation.
     */
    public void pause(String node, Duration duration) {
        Node n = node(node);
        n.paused = true;
        trace("fault", "pause " + node + " for " + duration);
        clock.schedule(clock.now().plus(duration), () -> {
            n.paused = false;
            trace("fault", "resume " + node);
        });
    }

    /** {@return the container running on node {@code node} now, or null if none (never started, or crashed)} */
    public Container containerOf(String node) {
        Node n = nodes.get(node);
        return n == null ? null : n.container;
    }

    /**
     * Crashes node {@code node}: every connection to it breaks (peers see a reset), it stops
     * listening, every task working for it is cancelled, and its container with all its state is
     * gone; it returns once those tasks have ended. Must be called from a task of this simulation.
     */
    public void crash(String node) {
        Node n = nodes.get(node);
        if (n == null || n.container == null) {
            throw new IllegalStateException("node " + node + " is not running (expected: a node with a container)");
        }
        trace("fault", "crash " + node);
        network.crash(node);
        Container gone = n.container;
        n.container = null;
        List<Task<?>> doomed = new java.util.ArrayList<>();
        for (Task<?> t : loop.tasks()) {
            if (t.owner() == n && t != Task.current()) {
                t.cancel(); // its tasks vanish with it
                doomed.add(t);
            }
        }
        gone.shutdown();
        Future.allSettled(doomed).await(); // cancelled, or failed while cancelled: gone either way
    }

    /**
     * Starts node {@code node} again after a {@link #crash}: a fresh container at the same address,
     * set up as the first one was. Must be called from a task of this simulation.
     *
     * @return the new container
     */
    public Container restart(String node) throws IOException {
        Node n = nodes.get(node);
        if (n == null || n.setup == null) {
            throw new IllegalStateException("node " + node + " was never started (expected: container(node, setup) first)");
        }
        if (n.container != null) {
            throw new IllegalStateException("node " + node + " is running (expected: crash it first)");
        }
        trace("fault", "restart " + node);
        Consumer<Container> setup = n.setup;
        n.setup = null;
        return container(node, setup);
    }

    /**
     * Skews node {@code node}'s wall clock ({@code utcNow}) by {@code offset}, drifting by
     * {@code driftPerSecond} seconds per simulated second from now on. Monotonic time ({@code now}),
     * sleeps and timers stay shared by all nodes.
     */
    public void skewClock(String node, Duration offset, double driftPerSecond) {
        trace("fault", "skew " + node + " by " + offset + " drifting " + driftPerSecond + " s/s");
        node(node).clock.skew(offset, driftPerSecond);
    }

    /** Adds an event to the trace (for scenario code that wants its own marks in it). */
    public void trace(String kind, String detail) {
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
        Promise<String> stuck = new Promise<>();
        Promise<Object> settled = new Promise<>();
        deadlock = stuck;
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
        Promise<Object> done = new Promise<>();
        settled.onComplete(f -> done.complete(null));
        stuck.onComplete(f -> done.complete(null));
        done.await();
        if (task.isDone()) {
            loop.reportUnretrievedFailures(); // a failed task nobody awaited fails the run, now
            List<UncaughtFailure> unhandled = takeUncaught();
            T result;
            try {
                result = task.result();
            } catch (RuntimeException | Error e) {
                SimulationException failed = failure("failed", e);
                unhandled.forEach(f -> failed.addSuppressed(f.error()));
                throw failed;
            }
            if (!unhandled.isEmpty()) {
                throw unhandledFailure("failed: ", unhandled);
            }
            return result;
        }
        clock.freeze(() -> {});
        task.cancel();
        throw failure("deadlocked: " + stuck.result(), null);
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
            Duration end = clock.now().plus(limit);
            while (!condition.getAsBoolean()) {
                if (clock.now().compareTo(end) >= 0) {
                    throw new IllegalStateException("condition still false after " + limit + " of virtual time");
                }
                Loop.runUntilIdle();
                if (!condition.getAsBoolean()) {
                    clock.sleep(Duration.ofMillis(1));
                }
            }
            return null;
        });
    }

    private SimulationException failure(String what, Throwable cause) {
        String tracePath;
        try {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "loomas-sim");
            Files.createDirectories(dir);
            Path file = dir.resolve("seed-" + seed + ".jsonl");
            trace.writeJsonLines(file);
            tracePath = file.toString();
        } catch (IOException e) {
            tracePath = "(not written: " + e.getMessage() + ")";
        }
        return new SimulationException("simulation " + what + " (seed=" + seed + ", virtual time " + clock.now()
                + ", faults: " + faultProfile() + faultHistory() + ", " + trace.size() + " trace events in " + tracePath
                + "); replay with Simulation.withSeed(" + seed + "L)", seed, cause);
    }

    /** How many faults of the run a failure message lists before it says how many more there were. */
    private static final int FAULTS_LISTED = 20;

    /** {@return the faults injected during the run, in order and with their times; not only those still in force} */
    private String faultHistory() {
        List<Trace.Event> faults = trace.events().stream().filter(e -> e.kind().equals("fault")).toList();
        if (faults.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("; during the run: ");
        for (int i = 0; i < Math.min(faults.size(), FAULTS_LISTED); i++) {
            text.append(i == 0 ? "" : ", ").append(faults.get(i).detail()).append(" at ").append(faults.get(i).time());
        }
        if (faults.size() > FAULTS_LISTED) {
            text.append(" and ").append(faults.size() - FAULTS_LISTED).append(" more (kind \"fault\" in the trace)");
        }
        return text.toString();
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
            List<UncaughtFailure> all = List.copyOf(uncaught);
            uncaught.clear();
            return all;
        }
    }

    /** {@return a failure naming each failure no code handled, the first one as its cause} */
    private SimulationException unhandledFailure(String what, List<UncaughtFailure> unhandled) {
        StringBuilder sb = new StringBuilder(what).append(unhandled.size()).append(" failure(s) no code handled:");
        for (UncaughtFailure f : unhandled) {
            sb.append("\n  ").append(f.message()).append(": ").append(f.error());
            if (f.creationSite() != null) {
                sb.append("; task created at ").append(creationPlace(f.creationSite()));
            }
        }
        SimulationException e = failure(sb.toString(), unhandled.get(0).error());
        unhandled.stream().skip(1).forEach(f -> e.addSuppressed(f.error()));
        return e;
    }

    /** {@return the first frame of a creation site outside loomas' runtime} */
    private static String creationPlace(Throwable site) {
        for (StackTraceElement e : site.getStackTrace()) {
            if (!e.getClassName().startsWith("io.loomas.runtime.")) {
                return e.toString();
            }
        }
        return "(unknown)";
    }

    /** Called by the clock when every task waits and no timer is pending. */
    private void deadlocked() {
        List<Task<?>> tasks = loop.tasks();
        if (tasks.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder("every task waits and no timer is pending at virtual time ")
                .append(clock.now()).append(':');
        for (Task<?> t : tasks) {
            sb.append("\n  task '").append(t.name()).append("' waits at ").append(place(t));
        }
        deadlock.complete(sb.toString());
    }

    /** {@return the first frame of {@code t}'s stack outside loomas' runtime and the JDK} */
    private static String place(Task<?> t) {
        for (StackTraceElement e : t.stackTrace()) {
            String c = e.getClassName();
            if (!c.startsWith("io.loomas.runtime.") && !isInternal(c) && !c.startsWith("java.") && !c.startsWith("jdk.")) {
                return e.toString();
            }
        }
        return "(unknown)";
    }

    private static boolean isInternal(String className) {
        for (Class<?> c : new Class<?>[] {Simulation.class, SimClock.class, SimNetwork.class, SeededScheduler.class}) {
            if (className.equals(c.getName()) || className.startsWith(c.getName() + "$")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Closes the loop: every task left is cancelled (time moves again for their cleanup).
     *
     * @throws SimulationException if a task failed while it was cancelled and no code looked at it
     */
    @Override
    public void close() {
        takeUncaught(); // reported by a run already, which failed for them
        clock.thaw();
        try {
            loop.close();
        } finally {
            RUNNING.remove(loop);
        }
        List<UncaughtFailure> unhandled = takeUncaught();
        if (!unhandled.isEmpty()) {
            throw unhandledFailure("closed with ", unhandled);
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
        Outcome first = runOnce(seed, scenario);
        Outcome second = runOnce(seed, scenario);
        int i = first.trace().firstDifference(second.trace());
        if (i >= 0) {
            List<Trace.Event> x = first.trace().events();
            List<Trace.Event> y = second.trace().events();
            throw new SimulationException("simulation is not deterministic (seed=" + seed
                    + "): the runs part at event " + i + ":\n  first run:  " + (i < x.size() ? x.get(i) : "(end)")
                    + "\n  second run: " + (i < y.size() ? y.get(i) : "(end)"),
                    seed, first.failure() != null ? first.failure() : second.failure());
        }
        String a = describe(first.failure());
        String b = describe(second.failure());
        if (!a.equals(b)) {
            throw new SimulationException("simulation is not deterministic (seed=" + seed + "): the same events,"
                    + " but the runs end differently:\n  first run:  " + a + "\n  second run: " + b, seed,
                    first.failure() != null ? first.failure() : second.failure());
        }
        // Both runs failed the same way at the same event: the scenario fails, deterministically.
        if (first.failure() instanceof RuntimeException r) {
            throw r;
        }
        if (first.failure() instanceof Error err) {
            throw err;
        }
    }

    /** One run of a scenario: its trace, and how it failed (or {@code null}). */
    private record Outcome(Trace trace, Throwable failure) {}

    /** Runs {@code scenario} once with {@code seed}, closing the simulation, keeping its trace whatever happens. */
    private static Outcome runOnce(long seed, Consumer<Simulation> scenario) {
        Simulation sim = withSeed(seed);
        Throwable failure = null;
        try {
            scenario.accept(sim);
        } catch (RuntimeException | Error e) {
            failure = e;
        } finally {
            try {
                sim.close();
            } catch (RuntimeException | Error e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        return new Outcome(sim.trace(), failure);
    }

    /** {@return how a run ended, to compare two runs: "passed", or the failure's class and message} */
    private static String describe(Throwable failure) {
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
