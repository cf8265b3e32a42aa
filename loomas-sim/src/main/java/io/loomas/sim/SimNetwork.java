package io.loomas.sim;

import io.loomas.transport.Address;
import io.loomas.transport.Connection;
import io.loomas.transport.Listener;
import io.loomas.transport.Transport;
import io.loomas.transport.TransportOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The network of a {@link Simulation}: connections between named nodes that behave like TCP
 * (ordered, reliable while up) with seeded latency, and the faults a test can inject.
 *
 * <p>Nodes are addressed as {@code local://<node>}. Each node reaches the network through its own
 * {@link #endpoint(String) endpoint}, a {@link Transport} that knows which node it belongs to.
 * Frames travel without threads: a send schedules the delivery on the simulation's clock, so what
 * happens depends on the seed alone.
 *
 * <p>Connections keep the promises of the real transports: frames arrive whole, once and in order;
 * a close ends only this side's sending; and a sender waits in {@code send} while more than its
 * write buffer size is on its way to a peer that does not read ({@link Connection#pauseReading()}).
 *
 * <p>Faults, all off by default: {@link #partition} (both ways) and {@link #partitionOneWay} hold
 * frames in flight until {@link #heal}; {@link #reset} breaks the connections between two nodes
 * (both ends see a connection error); {@link #down} makes connects to a node fail as refused.
 * Latency is set globally or per link. Must be used from within its simulation.
 */
public final class SimNetwork {
    private final Simulation sim;
    private final RandomGenerator random;
    private Latency latency;
    private final Map<Link, Latency> linkLatency = new LinkedHashMap<>();
    private final Set<Link> blocked = new LinkedHashSet<>(); // in the order the partitions were made
    private final Set<String> downNodes = new HashSet<>();
    private final Set<String> clogged = new LinkedHashSet<>(); // nodes whose sending waits (a nemesis fault)
    private final Map<String, Listening> listeners = new HashMap<>();
    private final Map<Long, SimConnection.Pair> connections = new LinkedHashMap<>();
    private long connectionIds;

    /** One direction between two nodes; a value, so that no node name can be mistaken for a separator. */
    private record Link(String from, String to) implements Comparable<Link> {
        @Override
        public int compareTo(Link o) {
            int c = from.compareTo(o.from);
            return c != 0 ? c : to.compareTo(o.to);
        }

        @Override
        public String toString() {
            return from + "->" + to;
        }
    }

    SimNetwork(Simulation sim, RandomGenerator random, Latency latency) {
        this.sim = sim;
        this.random = random;
        this.latency = latency;
    }

    /** {@return the transport through which node {@code node} listens and connects} */
    public Transport endpoint(String node) {
        Objects.requireNonNull(node, "node");
        return new NodeTransport(node);
    }

    String latencyDescription() {
        return latency + (linkLatency.isEmpty() ? "" : " (links: " + new java.util.TreeMap<>(linkLatency) + ")");
    }

    String faultDescription() {
        return (blocked.isEmpty() ? "" : ", partitioned " + new java.util.TreeSet<>(blocked))
                + (clogged.isEmpty() ? "" : ", clogged " + new java.util.TreeSet<>(clogged))
                + (downNodes.isEmpty() ? "" : ", down " + new java.util.TreeSet<>(downNodes));
    }

    /** Sets the latency of every link without a latency of its own. */
    public void setLatency(Latency latency) {
        this.latency = Objects.requireNonNull(latency, "latency");
        sim.trace("fault", "latency " + latency);
    }

    /** Sets the latency of frames from {@code from} to {@code to}. */
    public void setLatency(String from, String to, Latency latency) {
        linkLatency.put(new Link(from, to), Objects.requireNonNull(latency, "latency"));
        sim.trace("fault", "latency " + from + " -> " + to + " " + latency);
    }

    /** Cuts the link between {@code a} and {@code b} both ways: frames wait until {@link #heal}. */
    public void partition(String a, String b) {
        partitionOneWay(a, b);
        partitionOneWay(b, a);
    }

    /** Cuts the link from {@code from} to {@code to} only: frames that way wait until healed. */
    public void partitionOneWay(String from, String to) {
        blocked.add(new Link(from, to));
        sim.trace("fault", "partition " + from + " -> " + to);
    }

    /** Heals the link between {@code a} and {@code b} both ways; held frames go on, in order. */
    public void heal(String a, String b) {
        healOneWay(a, b);
        healOneWay(b, a);
    }

    /** Heals every partition. */
    public void healAll() {
        for (Link link : new ArrayList<>(blocked)) {
            healOneWay(link.from(), link.to());
        }
    }

    void healOneWay(String from, String to) {
        if (!blocked.remove(new Link(from, to))) {
            return;
        }
        sim.trace("fault", "heal " + from + " -> " + to);
        releaseHeld(from, to);
    }

    /** Holds every frame {@code node} sends until {@link #unclog}, as if its network stalled. */
    void clog(String node) {
        if (clogged.add(node)) {
            sim.trace("fault", "clog " + node);
        }
    }

    /** Lets {@code node}'s frames go on, in order, where no partition holds them. */
    void unclog(String node) {
        if (!clogged.remove(node)) {
            return;
        }
        sim.trace("fault", "unclog " + node);
        for (SimConnection.Pair p : new ArrayList<>(connections.values())) {
            for (SimConnection.Direction d : p.directions()) {
                if (d.from.node.equals(node)) {
                    d.release();
                }
            }
        }
    }

    /** Ends every clog, in the order they began. */
    void unclogAll() {
        for (String node : new ArrayList<>(clogged)) {
            unclog(node);
        }
    }

    /** {@return the latency of the link from {@code from} to {@code to} if it has its own, else null} */
    Latency linkLatency(String from, String to) {
        return linkLatency.get(new Link(from, to));
    }

    /** Gives the link its own latency again, or none ({@code null}: the global one). */
    void restoreLatency(String from, String to, Latency latency) {
        if (latency == null) {
            linkLatency.remove(new Link(from, to));
            sim.trace("fault", "latency " + from + " -> " + to + " back to " + this.latency);
        } else {
            setLatency(from, to, latency);
        }
    }

    private void releaseHeld(String from, String to) {
        for (SimConnection.Pair p : new ArrayList<>(connections.values())) {
            for (SimConnection.Direction d : p.directions()) {
                if (d.from.node.equals(from) && d.to.node.equals(to)) {
                    d.release();
                }
            }
        }
    }

    /** Breaks every open connection between {@code a} and {@code b}: both ends see a reset. */
    public void reset(String a, String b) {
        sim.trace("fault", "reset " + a + " <-> " + b);
        for (SimConnection.Pair p : new ArrayList<>(connections.values())) {
            if ((p.client.node.equals(a) && p.server.node.equals(b)) || (p.client.node.equals(b) && p.server.node.equals(a))) {
                p.reset("connection reset between " + a + " and " + b + " (simulated fault)");
            }
        }
    }

    /** Makes connects to {@code node} fail as refused, as if it were down. Open connections stay. */
    public void down(String node) {
        downNodes.add(node);
        sim.trace("fault", "down " + node);
    }

    /** Brings every down node up again, in name order (a deterministic order for the trace). */
    void upAll() {
        for (String node : new java.util.TreeSet<>(downNodes)) {
            up(node);
        }
    }

    /** Undoes {@link #down}. */
    public void up(String node) {
        downNodes.remove(node);
        sim.trace("fault", "up " + node);
    }

    /** Breaks every connection of {@code node} and stops its listener, as a crash does. */
    void crash(String node) {
        for (SimConnection.Pair p : new ArrayList<>(connections.values())) {
            if (p.client.node.equals(node) || p.server.node.equals(node)) {
                p.reset("connection reset: " + node + " crashed (simulated)");
            }
        }
        listeners.remove(node);
    }

    private Duration sample(String from, String to) {
        return linkLatency.getOrDefault(new Link(from, to), latency).sample(random);
    }

    private boolean isBlocked(String from, String to) {
        return blocked.contains(new Link(from, to)) || clogged.contains(from);
    }

    private record Listening(String node, TransportOptions options, Consumer<Connection> onAccept) {}

    /** A node's view of the network. */
    private final class NodeTransport implements Transport {
        private final String node;

        NodeTransport(String node) {
            this.node = node;
        }

        @Override
        public boolean connectBlocks() {
            return false;
        }

        @Override
        public Connection connect(Address address, TransportOptions options) throws IOException {
            Objects.requireNonNull(options, "options");
            String target = nodeOf(address);
            Listening l = listeners.get(target);
            if (l == null || downNodes.contains(target)) {
                sim.trace("refuse", node + " -> " + target);
                throw new ConnectException("connection refused: no node listens on " + address + " (simulated)");
            }
            // A clog only delays frames; a partition refuses the connect.
            if (blocked.contains(new Link(node, target)) || blocked.contains(new Link(target, node))) {
                sim.trace("refuse", node + " -> " + target + " (partitioned)");
                throw new ConnectException("no route to " + address + ": the network is partitioned (simulated)");
            }
            long id = ++connectionIds;
            SimConnection.Pair p = new SimConnection.Pair(SimNetwork.this, id, new SimConnection.End(SimNetwork.this, node, Address.local(node + "#" + id), address, options),
                    new SimConnection.End(SimNetwork.this, target, address, Address.local(node + "#" + id), l.options));
            connections.put(id, p);
            sim.trace("connect", node + " -> " + target + " #" + id);
            l.onAccept.accept(p.server);
            return p.client;
        }

        @Override
        public Listener listen(Address address, TransportOptions options, Consumer<Connection> onAccept)
                throws IOException {
            String name = nodeOf(address);
            if (!name.equals(node)) {
                throw new IOException("node " + node + " cannot listen on " + address
                        + " (expected: local://" + node + ")");
            }
            if (listeners.containsKey(name)) {
                throw new IOException("cannot listen on " + address + ": address already in use");
            }
            listeners.put(name, new Listening(name, Objects.requireNonNull(options, "options"), onAccept));
            sim.trace("listen", name);
            return new Listener() {
                @Override
                public Address address() {
                    return address;
                }

                @Override
                public void close() {
                    listeners.remove(name);
                }
            };
        }

        private static String nodeOf(Address address) {
            if (address instanceof Address.Local l) {
                return l.name();
            }
            throw new IllegalArgumentException("not a simulated address: " + address + " (expected: local://<node>)");
        }
    }

    /** The two ends of one connection. */

    Duration sampleLatency(String from, String to) {
        return sample(from, to);
    }

    boolean blocked(String from, String to) {
        return isBlocked(from, to);
    }

    /** Forgets connection {@code id} (it was reset or closed). */
    void forget(long id) {
        connections.remove(id);
    }

    Simulation simulation() {
        return sim;
    }
}
