package io.loomas.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;

/**
 * Reads frames (a 4-byte big-endian length, then the payload) from a byte channel, for the socket
 * and TLS connections. Memory follows the bytes the peer really sent: a frame's buffer starts at
 * most {@link #FIRST_CHUNK} long and doubles as its bytes arrive, whatever length its header
 * announces. Not thread-safe: one reader thread per connection.
 */
final class FrameReader {
    /** How much of an announced frame is allocated before its bytes arrive. */
    static final int FIRST_CHUNK = 64 * 1024;

    /** Told when the reader waits for more bytes of a frame it has begun (for the frame timeout). */
    interface Progress {
        /** {@code length} is -1 while the reader is inside the 4-byte header. */
        void waitingInsideFrame(long got, long length);
    }

    private final ReadableByteChannel channel;
    private final int maxFrameSize;
    private final String connection;
    private final Address peer;
    private final boolean plainSocket;
    private final Progress progress;
    private final ByteBuffer in = ByteBuffer.allocate(FIRST_CHUNK).flip();

    /**
     * @param connection the connection's name, for messages
     * @param plainSocket whether to recognise a TLS record header (a TLS peer on a plain socket)
     */
    FrameReader(ReadableByteChannel channel, int maxFrameSize, String connection, Address peer, boolean plainSocket,
            Progress progress) {
        this.channel = channel;
        this.maxFrameSize = maxFrameSize;
        this.connection = connection;
        this.peer = peer;
        this.plainSocket = plainSocket;
        this.progress = progress;
    }

    /**
     * {@return the next frame's payload, or {@code null} at an end of stream between frames}
     *
     * @throws ProtocolException if the stream ends inside a frame, or a frame is larger than the maximum
     */
    byte[] next() throws IOException {
        if (!fill(4)) {
            if (in.hasRemaining()) {
                throw new ProtocolException("connection " + connection + " ended inside a frame header: got "
                        + in.remaining() + " of 4 bytes");
            }
            return null;
        }
        long length = Integer.toUnsignedLong(in.getInt());
        if (length > maxFrameSize) {
            throw new ProtocolException("frame too large from " + peer + ": " + length
                    + " bytes (expected: <= " + maxFrameSize + " bytes, the maximum frame size)"
                    + (plainSocket && looksLikeTlsRecord(length)
                            ? "; the peer speaks TLS (this is a TLS record header): use Transport.tls on both sides"
                            : ""));
        }
        byte[] payload = new byte[(int) Math.min(length, FIRST_CHUNK)];
        int got = Math.min(in.remaining(), payload.length);
        in.get(payload, 0, got);
        while (got < length) {
            if (got == payload.length) {
                payload = Arrays.copyOf(payload, (int) Math.min(length, 2L * payload.length));
            }
            progress.waitingInsideFrame(got, length);
            int r = channel.read(ByteBuffer.wrap(payload, got, payload.length - got));
            if (r < 0) {
                throw new ProtocolException("connection " + connection + " ended inside a frame: got "
                        + got + " of " + length + " bytes");
            }
            got += r;
        }
        return payload;
    }

    /**
     * Whether a frame header is really the start of a TLS record: an alert (21) or handshake (22)
     * record of TLS 1.x. Such a length is about 350 MB, so it never passes as a real frame.
     */
    private static boolean looksLikeTlsRecord(long header) {
        int type = (int) (header >>> 24);
        int major = (int) (header >>> 16) & 0xff;
        int minor = (int) (header >>> 8) & 0xff;
        return (type == 21 || type == 22) && major == 3 && minor <= 4;
    }

    /** Reads until {@code n} bytes are buffered; {@code false} if the stream ends first. */
    private boolean fill(int n) throws IOException {
        if (in.remaining() >= n) {
            return true;
        }
        in.compact();
        try {
            while (in.position() < n) {
                if (in.position() > 0) {
                    progress.waitingInsideFrame(in.position(), -1);
                }
                if (channel.read(in) < 0) {
                    return false;
                }
            }
            return true;
        } finally {
            in.flip();
        }
    }
}
