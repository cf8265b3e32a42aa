package io.loomas.transport;

import java.util.List;

/**
 * A framed, ordered, reliable byte-message connection to one peer.
 *
 * <p>Every message is one frame: a 4-byte big-endian length and the payload. The reading side
 * rejects frames larger than the maximum frame size, which closes only this connection. Writes go
 * through one writer per connection, in call order, batched into as few system calls as possible.
 * If the peer reads slower than this side writes, {@link #send} waits once the write buffer is
 * full, so memory does not grow without bound. On loomas' own transports, a frame that a task
 * sends while other tasks of its loop are ready goes to the writer once the loop has none ready
 * (within 64 turns), with the frames those tasks send meanwhile: one write for a loop's turn.
 *
 * <p>Implemented by each {@link Transport}, loomas' own and users'.
 *
 * <p>Thread-safe.
 */
public interface Connection {

    /** {@return this side's address} */
    Address localAddress();

    /** {@return the peer's address} */
    Address remoteAddress();

    /**
     * Starts reading: frames go to {@code handler} from now on. Called once, before any frame can
     * be lost.
     *
     * @throws IllegalStateException if called twice
     */
    void start(FrameHandler handler);

    /**
     * Queues one frame for writing. Waits (a scheduling point, when called from a task) while the
     * write buffer is full; the frame is queued only once there is room, so a sender cancelled
     * while it waits leaves nothing queued.
     *
     * @throws ConnectionClosedException if the connection is closed
     * @throws ProtocolException if the payload is larger than the maximum frame size
     * @throws io.loomas.runtime.CancelledException if the calling task is cancelled while it waits
     *     (nothing was queued)
     */
    void send(byte[] payload);

    /**
     * Like {@link #send(byte[])}, but waits for room at most {@code timeout} on the caller's clock
     * (the loop's clock for a task). A connection that never waits for room ignores the timeout;
     * that is what this default does.
     *
     * @throws io.loomas.runtime.TimeoutException if there is no room in time (nothing was queued)
     */
    default void send(byte[] payload, java.time.Duration timeout) {
        send(payload);
    }

    /**
     * Holds further frames until {@link #resumeReading()}, so that the peer's sends wait once its
     * write buffer is full. For a transport without reader threads (the simulated network), whose
     * handler runs on the loop and so cannot wait for room itself. A threaded transport's handler
     * waits on its reader thread instead, which stops the reading just as well; for such a
     * transport this does nothing, which is what this default does.
     */
    default void pauseReading() {}

    /** Delivers frames again after {@link #pauseReading()}, those held first. */
    default void resumeReading() {}

    /**
     * Closes the connection after writing what was queued. The handler's {@code onClose} follows.
     * Does nothing if already closed.
     */
    void close();

    /**
     * {@return the certificates the peer authenticated with, its own first: for TLS with a
     * certificate on the other side; empty for a plain transport or a peer that sent none}
     */
    default List<java.security.cert.X509Certificate> peerCertificates() {
        return List.of();
    }

    /** {@return whether the connection is open} */
    boolean isOpen();
}
