package io.loomas.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of a connection's framing, buffering and closing.
 *
 * @param maxFrameSize the largest payload accepted, in bytes, on the reading and the sending side
 * @param writeBufferSize how many bytes may wait for the writer before {@link Connection#send}
 *     waits; it goes on once half of them are written
 * @param closeGrace how long an orderly {@link Connection#close()} may take, in real time, to write
 *     what was queued and see the peer's end; past it the connection is closed at once (a peer that
 *     stops reading cannot keep a closed connection, its socket and threads alive)
 */
public record TransportOptions(int maxFrameSize, int writeBufferSize, Duration closeGrace) {

    /** 64 MiB frames, a 4 MiB write buffer, 10 s to close. */
    public static final TransportOptions DEFAULT = new TransportOptions(64 << 20, 4 << 20, Duration.ofSeconds(10));

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
    }

    /** {@return a copy with the given maximum frame size} */
    public TransportOptions withMaxFrameSize(int maxFrameSize) {
        return new TransportOptions(maxFrameSize, writeBufferSize, closeGrace);
    }

    /** {@return a copy with the given write buffer size} */
    public TransportOptions withWriteBufferSize(int writeBufferSize) {
        return new TransportOptions(maxFrameSize, writeBufferSize, closeGrace);
    }

    /** {@return a copy with the given close grace} */
    public TransportOptions withCloseGrace(Duration closeGrace) {
        return new TransportOptions(maxFrameSize, writeBufferSize, closeGrace);
    }
}
