package io.loomas.sim;

import io.loomas.runtime.Event;
import io.loomas.runtime.TimeoutException;
import io.loomas.runtime.TimerHandle;
import io.loomas.transport.Address;
import io.loomas.transport.Connection;
import io.loomas.transport.ConnectionClosedException;
import io.loomas.transport.FrameHandler;
import io.loomas.transport.Listener;
import io.loomas.transport.ProtocolException;
import io.loomas.transport.Transport;
import io.loomas.transport.TransportOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
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
    private final Map<String, Listening> listeners = new HashMap<>();
    private final Map<Long, Pair> connections = new LinkedHashMap<>();
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

    private void healOneWay(String from, String to) {
        if (!blocked.remove(new Link(from, to))) {
            return;
        }
        sim.trace("fault", "heal " + from + " -> " + to);
        for (Pair p : new ArrayList<>(connections.values())) {
            for (Direction d : p.directions()) {
                if (d.from.node.equals(from) && d.to.node.equals(to)) {
                    d.release();
                }
            }
        }
    }

    /** Breaks every open connection between {@code a} and {@code b}: both ends see a reset. */
    public void reset(String a, String b) {
        sim.trace("fault", "reset " + a + " <-> " + b);
        for (Pair p : new ArrayList<>(connections.values())) {
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

    /** Undoes {@link #down}. */
    public void up(String node) {
        downNodes.remove(node);
        sim.trace("fault", "up " + node);
    }

    /** Breaks every connection of {@code node} and stops its listener, as a crash does. */
    void crash(String node) {
        for (Pair p : new ArrayList<>(connections.values())) {
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
        return blocked.contains(new Link(from, to));
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
            if (isBlocked(node, target) || isBlocked(target, node)) {
                sim.trace("refuse", node + " -> " + target + " (partitioned)");
                throw new ConnectException("no route to " + address + ": the network is partitioned (simulated)");
            }
            long id = ++connectionIds;
            Pair p = new Pair(id, new End(node, Address.local(node + "#" + id), address, options),
                    new End(target, address, Address.local(node + "#" + id), l.options));
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
    private final class Pair {
        final long id;
        final End client;
        final End server;

        Pair(long id, End client, End server) {
            this.id = id;
            this.client = client;
            this.server = server;
            client.pair = this;
            server.pair = this;
            client.out = new Direction(this, client, server);
            server.out = new Direction(this, server, client);
        }

        List<Direction> directions() {
            return List.of(client.out, server.out);
        }

        void reset(String why) {
            reset(why, null);
        }

        void reset(String why, Throwable cause) {
            connections.remove(id);
            IOException failure = new IOException(why, cause);
            client.end(failure);
            server.end(failure);
        }
    }

    /** Frames from one end to the other: in order, delayed, held while the link is cut. */
    private final class Direction {
        final Pair pair;
        final End from;
        final End to;
        final String label;
        Duration lastArrival = Duration.ZERO;
        /** Frames that arrived while the link was cut, or behind such frames: delivered in order, first. */
        final ArrayDeque<Arrival> held = new ArrayDeque<>();
        long sent;
        /**
         * Bytes sent this way and not yet handed to the receiving handler (on the wire, held by a
         * partition, or waiting at a paused receiver): the sender waits while it exceeds its write
         * buffer size, as a socket's sender does once the kernel's buffers are full.
         */
        long inFlight;

        Direction(Pair pair, End from, End to) {
            this.pair = pair;
            this.from = from;
            this.to = to;
            this.label = from.node + " -> " + to.node + " #" + pair.id;
        }

        void send(byte[] frame) {
            long n = sent++;
            inFlight += cost(frame);
            sim.trace("send", label + " frame " + n + " (" + (frame == null ? "end" : frame.length + " bytes") + ")"
                    + preview(frame));
            schedule(frame, n);
        }

        private void schedule(byte[] frame, long n) {
            Duration at = sim.clock().now().plus(sample(from.node, to.node));
            if (at.compareTo(lastArrival) < 0) {
                at = lastArrival; // ordered, like TCP
            }
            lastArrival = at;
            sim.simClock().scheduleUntraced(at, () -> arrive(frame, n));
        }

        void arrive(byte[] frame, long n) {
            if (to.ended) {
                sim.trace("drop", label + " frame " + n + " (connection closed)");
                consumed(frame);
                return;
            }
            if (isBlocked(from.node, to.node) || !held.isEmpty()) {
                sim.trace("hold", label + " frame " + n);
                held.add(new Arrival(frame == null ? END : frame, n));
                return;
            }
            deliver(frame, n);
        }

        /**
         * The link healed: after one latency, the held frames go on, in order and before any frame
         * that arrives meanwhile (those queue behind them), so neither a frame still in flight nor
         * the end of stream overtakes them. A cut before then holds them again.
         */
        void release() {
            if (!held.isEmpty()) {
                sim.simClock().scheduleUntraced(sim.clock().now().plus(sample(from.node, to.node)), this::drain);
            }
        }

        private void drain() {
            while (!held.isEmpty() && !isBlocked(from.node, to.node)) {
                Arrival a = held.poll();
                if (to.ended) {
                    sim.trace("drop", label + " frame " + a.n() + " (connection closed)");
                    consumed(a.frame());
                } else {
                    deliver(a.frame(), a.n());
                }
            }
        }

        private void deliver(byte[] frame, long n) {
            if (to.handler == null || to.paused || !to.waiting.isEmpty()) {
                // Not started, or paused: the frames wait, as in a socket's receive buffer.
                to.waiting.add(new Arrival(frame == null ? END : frame, n));
                return;
            }
            hand(frame, n);
        }

        /** Hands one frame (or the end) to the receiving end's handler. */
        void hand(byte[] frame, long n) {
            if (frame == null || frame == END) {
                sim.trace("close", label + " (peer closed)");
                to.peerEnded();
                return;
            }
            sim.trace("deliver", label + " frame " + n);
            consumed(frame);
            to.handle(frame);
        }

        /** A frame left the way: the sender may have room again. */
        void consumed(byte[] frame) {
            inFlight -= cost(frame);
            if (inFlight <= from.options.writeBufferSize() / 2) {
                from.writable.set();
            }
        }
    }

    /** {@return the bytes a frame takes in flight: its length and header; the end takes none} */
    private static long cost(byte[] frame) {
        return frame == null || frame == END ? 0 : frame.length + 4L;
    }

    /** A frame that arrived while its end was not started or paused, with its number for the trace. */
    private record Arrival(byte[] frame, long n) {}

    private static final byte[] END = new byte[0];

    /** {@return " " and the frame as text if it is short printable text (a JSON message), else ""} */
    private static String preview(byte[] frame) {
        if (frame == null || frame.length == 0) {
            return "";
        }
        int n = Math.min(frame.length, 120);
        for (int i = 0; i < n; i++) {
            if (frame[i] < 0x20 || frame[i] > 0x7e) {
                return "";
            }
        }
        String text = new String(frame, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
        return " " + (frame.length > n ? text + "..." : text);
    }

    /**
     * One end of a simulated connection. A close ends this end's sending only: the peer receives
     * every frame sent before it, then the end, and answers with its own end after what it sent
     * meanwhile (as a socket's reader does on an end of stream); this end hears {@code onClose}
     * when that answer arrives, or after the close grace if it never does (a partition).
     */
    private final class End implements Connection {
        final String node;
        final Address local;
        final Address remote;
        final TransportOptions options;
        Pair pair;
        Direction out;
        FrameHandler handler;
        /** Frames (and the end) that arrived before {@link #start} or while paused, in order. */
        final ArrayDeque<Arrival> waiting = new ArrayDeque<>();
        /** Set by {@link #pauseReading()}: arrivals wait until {@link #resumeReading()}. */
        boolean paused;
        /** Set while {@link #out} has room for more. */
        final Event writable = new Event();
        /** No more sends: this end closed, or the connection ended. */
        boolean closed;
        /** The peer's end arrived. */
        boolean peerEnded;
        /** The handler heard of the end (or will, on start); nothing more is delivered. */
        boolean ended;
        /** Why the connection ended, if it failed. */
        Throwable failure;
        /** Whether the handler heard {@code onClose}. */
        boolean told;
        TimerHandle grace;

        End(String node, Address local, Address remote, TransportOptions options) {
            this.node = node;
            this.local = local;
            this.remote = remote;
            this.options = options;
            writable.set();
        }

        /** {@return the direction frames come to this end from} */
        Direction in() {
            return this == pair.client ? pair.server.out : pair.client.out;
        }

        @Override
        public Address localAddress() {
            return local;
        }

        @Override
        public Address remoteAddress() {
            return remote;
        }

        @Override
        public void start(FrameHandler handler) {
            if (this.handler != null) {
                throw new IllegalStateException("connection " + this + " was started already");
            }
            this.handler = Objects.requireNonNull(handler, "handler");
            scheduleCatchUp();
        }

        @Override
        public void pauseReading() {
            if (!paused) {
                paused = true;
                sim.trace("pause-reading", in().label);
            }
        }

        @Override
        public void resumeReading() {
            if (paused) {
                paused = false;
                sim.trace("resume-reading", in().label);
                scheduleCatchUp();
            }
        }

        /** Hands in what waited, on the loop rather than inside the caller's start() or resume. */
        private void scheduleCatchUp() {
            if (handler != null && (!waiting.isEmpty() || (ended && !told))) {
                sim.simClock().scheduleUntraced(sim.clock().now(), this::catchUp);
            }
        }

        private void catchUp() {
            while (!waiting.isEmpty() && !ended && !paused) {
                Arrival a = waiting.poll();
                in().hand(a.frame(), a.n());
            }
            if (ended && !told) {
                told = true;
                handler.onClose(failure);
            }
        }

        void handle(byte[] frame) {
            try {
                handler.onFrame(frame);
            } catch (ProtocolException e) {
                pair.reset("protocol error: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                pair.reset("frame handler of " + this + " failed: " + e, e);
            }
        }

        @Override
        public void send(byte[] payload) {
            send(payload, null);
        }

        @Override
        public void send(byte[] payload, Duration timeout) {
            Objects.requireNonNull(payload, "payload");
            if (payload.length > options.maxFrameSize()) {
                throw new ProtocolException("frame too large to send: " + payload.length + " bytes (expected: <= "
                        + options.maxFrameSize() + " bytes, the maximum frame size)");
            }
            Duration deadline = timeout == null ? null : sim.clock().now().plus(timeout);
            while (!closed && out.inFlight > options.writeBufferSize()) {
                writable.clear();
                if (timeout == null) {
                    writable.await();
                } else {
                    Duration left = deadline.minus(sim.clock().now());
                    try {
                        writable.await(left.isNegative() ? Duration.ZERO : left);
                    } catch (TimeoutException e) {
                        throw new TimeoutException("timed out after " + timeout + " waiting for room to send on "
                                + this + " (" + out.inFlight + " bytes on their way: the peer reads slower than this"
                                + " side writes)");
                    }
                }
            }
            if (closed) {
                throw new ConnectionClosedException("connection " + this + " is closed"
                        + (failure != null ? " after an error: " + failure.getMessage() : ""), failure);
            }
            out.send(payload);
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            writable.set(); // a sender waiting for room fails now
            out.send(null); // the peer learns of the close after the frames before it
            if (peerEnded || handler == null) { // nothing more to read, or nobody to read it
                end(null);
                return;
            }
            Duration at = sim.clock().now().plus(options.closeGrace());
            grace = sim.simClock().scheduleUntraced(at, () -> {
                if (!ended) {
                    sim.trace("close", out.label + " (the peer did not close its side within "
                            + options.closeGrace() + ")");
                    end(null);
                }
            });
        }

        /** The peer's end arrived: answer with this end's own (after what it sent), and end. */
        void peerEnded() {
            peerEnded = true;
            if (closed) {
                end(null);
            } else {
                close();
            }
        }

        /** Ends this side: no more frames, and the handler hears of it once. */
        void end(Throwable cause) {
            closed = true;
            writable.set(); // a sender waiting for room fails now
            if (ended) {
                return;
            }
            ended = true;
            failure = cause;
            while (!waiting.isEmpty()) { // never to be read: the peer's sender has that room back
                in().consumed(waiting.poll().frame());
            }
            if (grace != null) {
                grace.cancel();
            }
            if (pair.client.ended && pair.server.ended) {
                connections.remove(pair.id);
            }
            if (handler != null) { // else told on start
                told = true;
                handler.onClose(cause);
            }
        }

        @Override
        public boolean isOpen() {
            return !closed;
        }

        @Override
        public String toString() {
            return local + " <-> " + remote;
        }
    }
}
