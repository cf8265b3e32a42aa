package io.loomas.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of a connection's framing, buffering, timeouts and closing.
 *
 * @param maxFrameSize the largest payload accepted, in bytes, on the reading and the sending side
 * @param writeBufferSize how many bytes may wait for the writer before {@link Connection#send}
 *     waits; it goes on once half of them are written
 * @param closeGrace how long an orderly {@link Connection#close()} may take, in real time, to write
 *     what was queued and see the peer's end; past it the connection is closed at once (a peer that
 *     stops reading cannot keep a closed connection, its socket and threads alive)
 * @param frameTimeout how long, in real time, a frame that has begun to arrive may take to arrive
 *     whole; past it the connection is closed with a protocol error, so a peer that stops in the
 *     middle of a frame cannot hold the connection and its threads. Waiting between frames is not
 *     bounded by it, so a co-simulation may idle for hours between steps
 * @param idleTimeout how long a connection may go without a frame in either direction before it
 *     is closed (in order); {@code null}, the default, for no limit
 * @param maxConnections how many connections a TCP, Unix or TLS listener keeps open at once; one
 *     more is accepted and closed at once (the peer sees its connection end), so a flood of clients
 *     cannot use up this process's file descriptors; {@link Integer#MAX_VALUE}, the default, for
 *     no limit
 * @param keepAlive how TCP keepalive probes a quiet connection, so that a peer whose host died or
 *     whose network vanished (it sends no reset, no end) is noticed and the connection closed with
 *     an error; {@code null}, the default, for none. Over TCP and TLS; a Unix or in-JVM peer's end
 *     is seen at once anyway. The probes are the kernel's: no byte changes on the wire. They probe
 *     a quiet connection only: while bytes this side wrote wait for the peer's acknowledgement,
 *     the kernel retransmits them instead and gives up after its own limit (on Linux
 *     {@code net.ipv4.tcp_retries2}, about 15 minutes); a call timeout bounds a call meanwhile
 */
public record TransportOptions(int maxFrameSize, int writeBufferSize, Duration closeGrace, Duration frameTimeout,
        Duration idleTimeout, int maxConnections, KeepAlive keepAlive) {

    /**
     * 64 MiB frames, a 4 MiB write buffer, 10 s to close, 60 s for a frame to arrive whole, no idle
     * limit, no limit of connections.
     */
    public static final TransportOptions DEFAULT = new TransportOptions(64 << 20, 4 << 20, Duration.ofSeconds(10),
            Duration.ofSeconds(60), null, Integer.MAX_VALUE, null);

    /**
     * TCP keepalive: after {@code idle} without a packet from the peer, the kernel sends a probe
     * every {@code interval}; after {@code probes} unanswered ones the connection fails (its calls
     * and sends with it). A dead peer is noticed within about {@code idle + probes * interval}.
     * The kernel counts in whole seconds.
     *
     * @param idle how long the connection is quiet before the first probe; whole seconds, >= 1 s
     * @param interval between probes; whole seconds, >= 1 s
     * @param probes how many may go unanswered; >= 1
     */
    public record KeepAlive(Duration idle, Duration interval, int probes) {
        /** Checks the settings. */
        public KeepAlive {
            wholeSeconds("idle", idle);
            wholeSeconds("interval", interval);
            if (probes < 1) {
                throw new IllegalArgumentException("keepalive probes must be at least 1: " + probes + " (expected: >= 1)");
            }
        }

        private static void wholeSeconds(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.getNano() != 0 || d.getSeconds() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("keepalive " + what + " must be whole seconds, at least 1 s: " + d
                        + " (expected: PT1S, PT2S, ...: the kernel counts in seconds)");
            }
        }

        /** {@return about how long a dead peer goes unnoticed at most: idle plus probes times interval} */
        public Duration detectionTime() {
            return idle.plus(interval.multipliedBy(probes));
        }
    }

    /** Checks the settings. */
    public TransportOptions {
        if (maxFrameSize <= 0) {
            throw new IllegalArgumentException("maxFrameSize must be positive: " + maxFrameSize + " (expected: > 0)");
        }
        if (writeBufferSize <= 0) {
            throw new IllegalArgumentException(
                    "writeBufferSize must be positive: " + writeBufferSize + " (expected: > 0)");
        }
        Objects.requireNonNull(closeGrace, "closeGrace");
        if (closeGrace.isNegative()) {
            throw new IllegalArgumentException("closeGrace must not be negative: " + closeGrace + " (expected: >= 0)");
        }
        Objects.requireNonNull(frameTimeout, "frameTimeout");
        if (frameTimeout.isNegative() || frameTimeout.isZero()) {
            throw new IllegalArgumentException("frameTimeout must be positive: " + frameTimeout + " (expected: > 0)");
        }
        if (idleTimeout != null && (idleTimeout.isNegative() || idleTimeout.isZero())) {
            throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout
                    + " (expected: > 0, or null for no limit)");
        }
        if (maxConnections <= 0) {
            throw new IllegalArgumentException("maxConnections must be positive: " + maxConnections + " (expected: > 0)");
        }
    }

    /** {@return a copy with the given maximum frame size} */
    public TransportOptions withMaxFrameSize(int maxFrameSize) {
        return new TransportOptions(maxFrameSize, writeBufferSize, closeGrace, frameTimeout, idleTimeout, maxConnections, keepAlive);
    }

    /** {@return a copy with the given write buffer size} */
    public TransportOptions withWriteBufferSize(int writeBufferSize) {
        return new TransportOptions(maxFrameSize, writeBufferSize, closeGrace, frameTimeout, idleTimeout, maxConnections, keepAlive);
    }

    /** {@return a copy with the given close grace} */
    public TransportOptions withCloseGrace(Duration closeGrace) {
        return new TransportOptions(maxFrameSize, writeBufferSize, closeGrace, frameTimeout, idleTimeout, maxConnections, keepAlive);
    }

    /** {@return a copy with the given frame timeout} */
    public TransportOptions withFrameTimeout(Duration frameTimeout) {
        return new TransportOptions(maxFrameSize, writeBufferSize, closeGrace, frameTimeout, idleTimeout, maxConnections, keepAlive);
    }

    /** {@return a copy with the given idle timeout ({@code null} for none)} */
    public TransportOptions withIdleTimeout(Duration idleTimeout) {
        return new TransportOptions(maxFrameSize, writeBufferSize, closeGrace, frameTimeout, idleTimeout, maxConnections, keepAlive);
    }

    /**
     * {@return a copy with TCP keepalive: probes after {@code idle} of quiet, every
     * {@code interval}, the connection failed after {@code probes} unanswered (see {@link KeepAlive})}
     */
    public TransportOptions withKeepAlive(Duration idle, Duration interval, int probes) {
        return new TransportOptions(maxFrameSize, writeBufferSize, closeGrace, frameTimeout, idleTimeout, maxConnections,
                new KeepAlive(idle, interval, probes));
    }

    /** {@return a copy without TCP keepalive} */
    public TransportOptions withoutKeepAlive() {
        return new TransportOptions(maxFrameSize, writeBufferSize, closeGrace, frameTimeout, idleTimeout, maxConnections,
                null);
    }

    /** {@return a copy with the given limit of open connections per listener} */
    public TransportOptions withMaxConnections(int maxConnections) {
        return new TransportOptions(maxFrameSize, writeBufferSize, closeGrace, frameTimeout, idleTimeout, maxConnections, keepAlive);
    }
}
