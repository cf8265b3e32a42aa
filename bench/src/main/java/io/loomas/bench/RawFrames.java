package io.loomas.bench;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The raw-socket limit's connection: 4-byte big-endian length framing on a JDK
 * {@link SocketChannel}, one reader and one batching writer (it drains every queued frame and
 * writes them with one call), both on virtual threads. No codec, no envelope beyond what a
 * request-reply protocol needs: the first 4 bytes of each payload are the caller's slot.
 */
final class RawFrames implements AutoCloseable {
    private static final byte[] CLOSE = new byte[0];

    private final SocketChannel channel;
    private final LinkedBlockingQueue<byte[]> outbox = new LinkedBlockingQueue<>();
    private ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);

    RawFrames(SocketChannel channel) {
        this.channel = channel;
        readBuffer.flip();
        Thread.ofVirtual().name("raw writer").start(this::writeLoop);
    }

    /** Queues one frame; the writer sends it with whatever else is queued. Thread-safe. */
    void send(byte[] payload) {
        outbox.add(payload);
    }

    /** {@return the next frame's payload} Reader thread only. */
    byte[] read() throws IOException {
        ensure(4);
        int length = readBuffer.getInt();
        ensure(length);
        byte[] payload = new byte[length];
        readBuffer.get(payload);
        return payload;
    }

    private void ensure(int bytes) throws IOException {
        if (readBuffer.remaining() >= bytes) {
            return;
        }
        if (readBuffer.capacity() < bytes) {
            ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(bytes, readBuffer.capacity() * 2));
            bigger.put(readBuffer);
            readBuffer = bigger;
        } else {
            readBuffer.compact();
        }
        while (readBuffer.position() < bytes) {
            if (channel.read(readBuffer) < 0) {
                throw new EOFException("peer closed");
            }
        }
        readBuffer.flip();
    }

    private void writeLoop() {
        List<byte[]> batch = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
        try {
            while (true) {
                batch.add(outbox.take());
                outbox.drainTo(batch, 1024);
                int size = 0;
                for (byte[] frame : batch) {
                    if (frame == CLOSE) {
                        return;
                    }
                    size += 4 + frame.length;
                }
                if (buffer.capacity() < size) {
                    buffer = ByteBuffer.allocateDirect(size);
                }
                buffer.clear();
                for (byte[] frame : batch) {
                    buffer.putInt(frame.length).put(frame);
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                batch.clear();
            }
        } catch (IOException | InterruptedException e) {
            close();
        }
    }

    @Override
    public void close() {
        outbox.add(CLOSE);
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
