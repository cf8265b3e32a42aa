package io.loomas.transport;

import io.loomas.runtime.Event;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part every connection shares: one reader thread handing frames to the handler, one writer
 * thread draining the send queue in batches, back-pressure on the send queue, and an orderly close.
 * Subclasses read and write frames on their medium.
 */
abstract class FramedConnection implements Connection {
    private static final Logger log = LoggerFactory.getLogger(FramedConnection.class);
    private static final byte[] CLOSE = new byte[0];
    private static final int MAX_BATCH = 1024;

    private final Address local;
    private final Address remote;
    final TransportOptions options;
    private final LinkedBlockingQueue<byte[]> outbox = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Event writable = new Event();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Throwable failure;

    FramedConnection(Address local, Address remote, TransportOptions options) {
        this.local = local;
        this.remote = remote;
        this.options = options;
        writable.set();
    }

    /** Reads the next frame's payload; {@code null} at an orderly end of stream. */
    abstract byte[] readFrame() throws IOException;

    /** Writes the frames, in order. */
    abstract void writeFrames(List<byte[]> frames) throws IOException;

    /** Ends the medium at once (after an error, or when it was never started). */
    abstract void closeMedium();

    /** Ends the medium in order once everything queued was written; by default at once. */
    void finishMedium() {
        closeMedium();
    }

    /** Called on the reader thread once it reads no more, before {@code onClose}. */
    void readerEnded() {}

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
        Objects.requireNonNull(handler, "handler");
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("connection " + this + " was started already");
        }
        Thread.ofVirtual().name("reader " + this).start(() -> readLoop(handler));
        Thread.ofVirtual().name("writer " + this).start(this::writeLoop);
    }

    @Override
    public void send(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        if (payload.length > options.maxFrameSize()) {
            throw new ProtocolException("frame too large to send: " + payload.length + " bytes (expected: <= "
                    + options.maxFrameSize() + " bytes, the maximum frame size)");
        }
        if (closing.get()) {
            throw closedException();
        }
        long queued = queuedBytes.addAndGet(payload.length + 4L);
        outbox.add(payload);
        if (queued > options.writeBufferSize()) {
            writable.clear();
            // Re-check after clearing: the writer may have drained in between and set the event already.
            while (queuedBytes.get() > options.writeBufferSize() && !closing.get()) {
                writable.await();
            }
        }
    }

    @Override
    public void close() {
        if (closing.compareAndSet(false, true)) {
            outbox.add(CLOSE);
            writable.set();
            if (!started.get()) {
                closeMedium();
                ended.set(true);
            }
        }
    }

    /** Closes at once after an error, dropping what is queued. */
    void abort(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        closing.set(true);
        outbox.clear();
        outbox.add(CLOSE);
        writable.set();
        closeMedium();
    }

    @Override
    public boolean isOpen() {
        return !closing.get();
    }

    private ConnectionClosedException closedException() {
        Throwable f = failure;
        return new ConnectionClosedException("connection " + this + " is closed"
                + (f != null ? " after an error: " + f.getMessage() : ""), f);
    }

    private void readLoop(FrameHandler handler) {
        Throwable cause = null;
        try {
            byte[] frame;
            while ((frame = readFrame()) != null) {
                handler.onFrame(frame);
            }
        } catch (IOException | RuntimeException e) {
            // A read failing because this side closed is an orderly end, not an error.
            if (!closing.get() || failure != null || e instanceof ProtocolException) {
                cause = failure != null ? failure : e;
                if (e instanceof ProtocolException) {
                    log.warn("Closing connection {}: {}", this, e.getMessage());
                } else {
                    log.debug("Connection {} failed", this, e);
                }
            }
        } finally {
            readerEnded();
            if (cause != null) {
                abort(cause);
            } else {
                close(); // the peer closed: stop writing too
            }
            if (ended.compareAndSet(false, true)) {
                handler.onClose(cause);
            }
        }
    }

    private void writeLoop() {
        List<byte[]> batch = new ArrayList<>();
        try {
            while (true) {
                batch.add(outbox.take());
                outbox.drainTo(batch, MAX_BATCH);
                boolean close = false;
                long bytes = 0;
                for (int i = 0; i < batch.size(); i++) {
                    if (batch.get(i) == CLOSE) {
                        close = true;
                        batch.subList(i, batch.size()).clear();
                        break;
                    }
                    bytes += batch.get(i).length + 4L;
                }
                if (!batch.isEmpty() && failure == null) {
                    writeFrames(batch);
                }
                if (queuedBytes.addAndGet(-bytes) <= options.writeBufferSize() / 2) {
                    writable.set();
                }
                batch.clear();
                if (close) {
                    if (failure == null) {
                        finishMedium();
                    } else {
                        closeMedium();
                    }
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            if (failure == null && !(closing.get() && e instanceof java.nio.channels.ClosedChannelException)) {
                log.debug("Writing to {} failed", this, e);
            }
            abort(e);
        } catch (InterruptedException e) {
            abort(e);
        }
    }

    @Override
    public String toString() {
        return local + " <-> " + remote;
    }
}
