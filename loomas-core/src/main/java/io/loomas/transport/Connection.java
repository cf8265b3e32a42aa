package io.loomas.transport;

/**
 * A framed, ordered, reliable byte-message connection to one peer.
 *
 * <p>Every message is one frame: a 4-byte big-endian length and the payload. The reading side
 * rejects frames larger than the maximum frame size, which closes only this connection. Writes go
 * through one writer per connection, in call order, batched into as few system calls as possible.
 * If the peer reads slower than this side writes, {@link #send} waits once the write buffer is
 * full, so memory does not grow without bound.
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
     * write buffer is full.
     *
     * @throws ConnectionClosedException if the connection is closed
     * @throws ProtocolException if the payload is larger than the maximum frame size
     */
    void send(byte[] payload);

    /**
     * Closes the connection after writing what was queued. The handler's {@code onClose} follows.
     * Does nothing if already closed.
     */
    void close();

    /** {@return whether the connection is open} */
    boolean isOpen();
}
