package io.loomas.sim;

import io.loomas.agent.Container;
import io.loomas.agent.ContainerOptions;
import io.loomas.runtime.Future;
import io.loomas.runtime.Task;
import io.loomas.runtime.TimerHandle;
import io.loomas.transport.Address;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The named nodes of a simulation and their lifecycle: start, pause, crash, restart, clock skew.
 * A node owns the tasks that work for it (its container's, and theirs), which is how the seeded
 * scheduler skips a paused node's tasks and a crash finds the tasks to cancel. Not thread-safe:
 * used from the simulation's tasks, one at a time, and from its driving thread between runs.
 */
final class Nodes {

    /** A named node: its clock, its current container, and how to set it up again after a crash. */
    private static final class Node {
        final String name;
        final NodeClock clock;
        Container container;
        Consumer<Container> setup;
        UnaryOperator<ContainerOptions> options = UnaryOperator.identity();
        boolean paused;
        TimerHandle resume;
        SimDisk disk; // created when first asked for; outlives the node's crashes

        Node(String name, NodeClock clock) {
            this.name = name;
            this.clock = clock;
        }

        @Override
        public String toString() {
            return "node " + name;
        }
    }

    private final Simulation sim;
    private final Map<String, Node> nodes = new LinkedHashMap<>(); // in the order nodes appeared

    Nodes(Simulation sim) {
        this.sim = sim;
    }

    private Node node(String name) {
        return nodes.computeIfAbsent(name, n -> new Node(n, new NodeClock(sim.simClock())));
    }

    /** {@return what the tasks of node {@code name} work for (see {@link Task#owner()})} */
    Object owner(String name) {
        return node(name);
    }

    /** {@return the name of the node {@code owner} is, or null if it is not a node} */
    static String nameOf(Object owner) {
        return owner instanceof Node n ? n.name : null;
    }

    /** {@return whether {@code owner} is a paused node; the seeded scheduler skips its tasks} */
    boolean isPaused(Object owner) {
        return owner instanceof Node n && n.paused;
    }

    SimDisk diskOf(String name) {
        Node n = node(name);
        if (n.disk == null) {
            n.disk = new SimDisk(sim, name, sim.random("disk:" + name));
        }
        return n.disk;
    }

    NodeClock clockOf(String name) {
        return node(name).clock;
    }

    Container start(String name, UnaryOperator<ContainerOptions> options, Consumer<Container> setup)
            throws IOException {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(setup, "setup");
        ContainerOptions given = checked(name, options);
        Node n = node(name);
        if (n.container != null) {
            throw new IllegalStateException("node " + name + " has a container already (expected: crash it before starting another)");
        }
        n.setup = setup;
        n.options = options;
        // The container's tasks (and theirs) work for the node, so pause and crash can find them.
        n.container = sim.loop().spawn("start " + name, n, () -> {
            Container c = Container.create(Address.local(name), given);
            setup.accept(c);
            return c;
        }).await();
        return n.container;
    }

    void pause(String name, Duration duration) {
        Node n = node(name);
        if (n.resume != null) {
            n.resume.cancel(); // the new pause replaces the one in force
        }
        n.paused = true;
        sim.trace("fault", "pause " + name + " for " + duration);
        SimClock clock = sim.simClock();
        n.resume = clock.schedule(clock.now().plus(duration), () -> {
            n.paused = false;
            n.resume = null;
            sim.trace("fault", "resume " + name);
        });
    }

    /** {@return the nodes that crashed and were not restarted, in the order they appeared} */
    List<String> crashed() {
        List<String> names = new ArrayList<>();
        for (Node n : nodes.values()) {
            if (n.container == null && n.setup != null) {
                names.add(n.name);
            }
        }
        return names;
    }

    /** Ends every pause in force, noting {@code why} in the trace. */
    void resumeAll(String why) {
        for (Node n : nodes.values()) {
            if (n.paused) {
                n.resume.cancel();
                n.resume = null;
                n.paused = false;
                sim.trace("fault", "resume " + n.name + " (" + why + ")");
            }
        }
    }

    /** {@return the nodes started so far (running or crashed), in the order they appeared} */
    List<String> started() {
        List<String> names = new ArrayList<>();
        for (Node n : nodes.values()) {
            if (n.container != null || n.setup != null) {
                names.add(n.name);
            }
        }
        return names;
    }

    /** {@return whether node {@code name} is paused now} */
    boolean isPausedNode(String name) {
        Node n = nodes.get(name);
        return n != null && n.paused;
    }

    Container containerOf(String name) {
        Node n = nodes.get(name);
        return n == null ? null : n.container;
    }

    void crash(String name) {
        Node n = nodes.get(name);
        if (n == null || n.container == null) {
            throw new IllegalStateException("node " + name + " is not running (expected: a node with a container)");
        }
        sim.trace("fault", "crash " + name);
        sim.network().crash(name);
        Container gone = n.container;
        n.container = null;
        List<Task<?>> doomed = new ArrayList<>();
        for (Task<?> t : sim.loop().tasks()) {
            if (t.owner() == n && t != Task.current()) {
                t.cancel(); // its tasks vanish with it
                doomed.add(t);
            }
        }
        gone.shutdown();
        if (n.disk != null) {
            n.disk.crash(); // what was not synced may be lost or torn
        }
        try {
            // cancelled, or failed while cancelled: gone either way
            Future.allSettled(doomed).await(io.loomas.runtime.Loop.DEFAULT_GRACE);
        } catch (io.loomas.runtime.TimeoutException e) {
            List<String> alive = doomed.stream().filter(t -> !t.isDone()).map(t -> "'" + t.name() + "'").toList();
            throw new IllegalStateException("node " + name + " crashed, but its task(s) " + String.join(", ", alive)
                    + " still run " + io.loomas.runtime.Loop.DEFAULT_GRACE + " after they were cancelled: a task that"
                    + " catches CancelledException (a retry loop's catch (Exception e), say) must rethrow it, or a"
                    + " crashed node never stops");
        }
    }

    Container restart(String name) throws IOException {
        Node n = nodes.get(name);
        if (n == null || n.setup == null) {
            throw new IllegalStateException("node " + name + " was never started (expected: container(node, setup) first)");
        }
        if (n.container != null) {
            throw new IllegalStateException("node " + name + " is running (expected: crash it first)");
        }
        sim.trace("fault", "restart " + name);
        Consumer<Container> setup = n.setup;
        n.setup = null;
        return start(name, n.options, setup);
    }

    /**
     * {@return the node's options changed by {@code options}}
     *
     * @throws IllegalArgumentException if the change replaced what keeps the node in the simulation:
     *     its transport, clock or random source
     */
    private ContainerOptions checked(String name, UnaryOperator<ContainerOptions> options) {
        ContainerOptions base = sim.containerOptions(name);
        ContainerOptions given = Objects.requireNonNull(options.apply(base), "options returned null");
        List<String> replaced = new ArrayList<>();
        if (given.channelOptions().transport() != base.channelOptions().transport()) {
            replaced.add("the transport");
        }
        if (given.clock() != base.clock()) {
            replaced.add("the clock");
        }
        if (given.random() != base.random()) {
            replaced.add("the random source");
        }
        if (!replaced.isEmpty()) {
            throw new IllegalArgumentException("the options of node " + name + " replace " + String.join(", ", replaced)
                    + ", which keep it on the simulated network, on virtual time and on the seed (expected: change"
                    + " codec, timeouts or call limits only)");
        }
        return given;
    }

    void skewClock(String name, Duration offset, double driftPerSecond) {
        sim.trace("fault", "skew " + name + " by " + offset + " drifting " + driftPerSecond + " s/s");
        node(name).clock.skew(offset, driftPerSecond);
    }
}
