package io.loomas.sim;

import io.loomas.runtime.Event;
import io.loomas.runtime.TimeoutException;
import io.loomas.runtime.TimerHandle;
import io.loomas.transport.Address;
import io.loomas.transport.Connection;
import io.loomas.transport.ConnectionClosedException;
import io.loomas.transport.FrameHandler;
import io.loomas.transport.ProtocolException;
import io.loomas.transport.TransportOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A connection on the simulated network: a pair of ends and the two directions between them, each
 * delivering its frames in order after the link's latency, held while the link is cut, with
 * back-pressure on the sender. Used only from the simulation's tasks and timers.
 */
final class SimConnection {
    private SimConnection() {}

    /** The two ends of one connection, and its id in the network's table. */
    static final class Pair {
        final SimNetwork net;
        final long id;
        final End client;
        final End server;

        Pair(SimNetwork net, long id, End client, End server) {
            this.net = net;
            this.id = id;
            this.client = client;
            this.server = server;
            client.pair = this;
            server.pair = this;
            client.out = new Direction(net, this, client, server);
            server.out = new Direction(net, this, server, client);
        }

        List<Direction> directions() {
            return List.of(client.out, server.out);
        }

        void reset(String why) {
            reset(why, null);
        }

        void reset(String why, Throwable cause) {
            net.forget(id);
            IOException failure = new IOException(why, cause);
            client.end(failure);
            server.end(failure);
        }
    }

    /** Frames from one end to the other: in order, delayed, held while the link is cut. */
    static final class Direction {
        final SimNetwork net;
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

        Direction(SimNetwork net, Pair pair, End from, End to) {
            this.net = net;
            this.pair = pair;
            this.from = from;
            this.to = to;
            this.label = from.node + " -> " + to.node + " #" + pair.id;
        }

        void send(byte[] frame) {
            long n = sent++;
            inFlight += cost(frame);
            net.simulation().trace("send", new FrameSent(label, n, frame == null ? -1 : frame.length, preview(frame)));
            schedule(frame, n);
        }

        private void schedule(byte[] frame, long n) {
            Duration at = net.simulation().clock().now().plus(net.sampleLatency(from.node, to.node));
            if (at.compareTo(lastArrival) < 0) {
                at = lastArrival; // ordered, like TCP
            }
            lastArrival = at;
            net.simulation().simClock().scheduleUntraced(at, () -> arrive(frame, n));
        }

        void arrive(byte[] frame, long n) {
            if (to.ended) {
                net.simulation().trace("drop", new FrameNote(label, n, " (connection closed)"));
                consumed(frame);
                return;
            }
            if (net.blocked(from.node, to.node) || !held.isEmpty()) {
                net.simulation().trace("hold", new FrameNote(label, n, ""));
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
                net.simulation().simClock().scheduleUntraced(net.simulation().clock().now().plus(net.sampleLatency(from.node, to.node)), this::drain);
            }
        }

        private void drain() {
            while (!held.isEmpty() && !net.blocked(from.node, to.node)) {
                Arrival a = held.poll();
                if (to.ended) {
                    net.simulation().trace("drop", new FrameNote(label, a.n(), " (connection closed)"));
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
                net.simulation().trace("close", label + " (peer closed)");
                to.peerEnded();
                return;
            }
            net.simulation().trace("deliver", new FrameNote(label, n, ""));
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

    /** The detail of a send: "a -> b #1 frame 3 (10 bytes) [0, 1, ...]", the preview only for short text. */
    private record FrameSent(String label, long n, int length, String preview) implements Trace.Detail {
        @Override
        public void appendTo(StringBuilder out) {
            out.append(label).append(" frame ").append(n).append(" (");
            if (length < 0) {
                out.append("end");
            } else {
                out.append(length).append(" bytes");
            }
            out.append(')').append(preview);
        }
    }

    /** The detail of what happened to one frame on its way: "a -> b #1 frame 3" and a note. */
    private record FrameNote(String label, long n, String note) implements Trace.Detail {
        @Override
        public void appendTo(StringBuilder out) {
            out.append(label).append(" frame ").append(n).append(note);
        }
    }

    /** A frame that arrived while its end was not started or paused, with its number for the trace. */
    record Arrival(byte[] frame, long n) {}

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
    static final class End implements Connection {
        final SimNetwork net;
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

        End(SimNetwork net, String node, Address local, Address remote, TransportOptions options) {
            this.net = net;
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
                net.simulation().trace("pause-reading", in().label);
            }
        }

        @Override
        public void resumeReading() {
            if (paused) {
                paused = false;
                net.simulation().trace("resume-reading", in().label);
                scheduleCatchUp();
            }
        }

        /** Hands in what waited, on the loop rather than inside the caller's start() or resume. */
        private void scheduleCatchUp() {
            if (handler != null && (!waiting.isEmpty() || (ended && !told))) {
                net.simulation().simClock().scheduleUntraced(net.simulation().clock().now(), this::catchUp);
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
            Duration deadline = timeout == null ? null : net.simulation().clock().now().plus(timeout);
            while (!closed && out.inFlight > options.writeBufferSize()) {
                writable.clear();
                if (timeout == null) {
                    writable.await();
                } else {
                    Duration left = deadline.minus(net.simulation().clock().now());
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
            Duration at = net.simulation().clock().now().plus(options.closeGrace());
            grace = net.simulation().simClock().scheduleUntraced(at, () -> {
                if (!ended) {
                    net.simulation().trace("close", out.label + " (the peer did not close its side within "
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
                net.forget(pair.id);
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
