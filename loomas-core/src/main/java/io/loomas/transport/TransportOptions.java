package io.loomas.transport;

/**
 * The settings of a connection's framing and buffering.
 *
 * @param maxFrameSize the largest payload accepted, in bytes, on the reading and the sending side
 * @param writeBufferSize how many bytes may wait for the writer before {@link Connection#send}
 *     waits; it goes on once half of them are written
 */
public record TransportOptions(int maxFrameSize, int writeBufferSize) {

    /** 64 MiB frames, a 4 MiB write buffer. */
    public static final TransportOptions DEFAULT = new TransportOptions(64 << 20, 4 << 20);

    /** Checks the settings. */
    public TransportOptions {
        if (maxFrameSize <= 0) {
            throw new IllegalArgumentException("maxFrameSize must be positive: " + maxFrameSize + " (expected: > 0)");
        }
        if (writeBufferSize <= 0) {
            throw new IllegalArgumentException(
                    "writeBufferSize must be positive: " + writeBufferSize + " (expected: > 0)");
        }
    }

    /** {@return a copy with the given maximum frame size} */
    public TransportOptions withMaxFrameSize(int maxFrameSize) {
        return new TransportOptions(maxFrameSize, writeBufferSize);
    }

    /** {@return a copy with the given write buffer size} */
    public TransportOptions withWriteBufferSize(int writeBufferSize) {
        return new TransportOptions(maxFrameSize, writeBufferSize);
    }
}
