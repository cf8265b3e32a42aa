package io.loomas.transport;

import io.loomas.runtime.Clock;
import io.loomas.runtime.Event;
import io.loomas.runtime.Loop;
import io.loomas.runtime.TimeoutException;
import io.loomas.runtime.TimerHandle;
import io.loomas.runtime.internal.LogContext;
import io.loomas.runtime.internal.TurnBatching;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
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
    /** Staged bytes past which a task's frame goes to the writer at once, with those before it. */
    private static final long MAX_STAGED_BYTES = 64 * 1024;

    private final Address local;
    private final Address remote;
    final TransportOptions options;
    private final LinkedBlockingQueue<byte[]> outbox = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Event writable = new Event();
    private final AtomicBoolean started = new AtomicBoolean();
    /** Set once {@link #start} has set up what the writer needs; only then may it start. */
    private volatile boolean readyToWrite;
    private final AtomicBoolean writerStarted = new AtomicBoolean();
    /**
     * Frames of tasks that sent while other tasks of their loop were ready: handed to the writer
     * together once the loop has none ready ({@link TurnBatching}), so that the frames of tasks
     * woken together (replies that came in one read) go out in one write. Guarded by queueing.
     */
    private final List<byte[]> staged = new ArrayList<>();
    private long stagedBytes; // guarded by queueing
    private Loop deferredOn; // guarded by queueing: the loop whose tasks' frames are staged, until its flush
    private final Runnable flushStaged = this::flushStaged;
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Held to check {@link #closing} and queue a frame as one step, and to queue the close marker. */
    private final ReentrantLock queueing = new ReentrantLock();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Throwable failure;
    private volatile TimerHandle forcedClose;
    private volatile boolean writerDone;
    private static final int OUTPUT_SHUT = 1, READER_ENDED = 2, BOTH = 3;
    /** Armed while the reader waits inside a frame: the frame timeout. */
    private volatile TimerHandle frameTimer;
    private volatile long framesRead;
    private volatile long frameGot;
    private volatile long frameLength;
    /** When the last frame went either way ({@link System#nanoTime()}); kept only with an idle timeout. */
    private volatile long lastActivity;
    private volatile TimerHandle idleTimer;
    private volatile Runnable afterEnd;
    private final AtomicBoolean afterEndRan = new AtomicBoolean();
    private final AtomicInteger closeSteps = new AtomicInteger();
    /** The loop of the thread that started the connection, for the log lines of its own threads. */
    private volatile String loop;

    FramedConnection(Address local, Address remote, TransportOptions options) {
        this.local = local;
        this.remote = remote;
        this.options = options;
        writable.set();
    }

    /**
     * Called by the reader before it waits for more bytes of a frame it has begun ({@code length}
     * -1 while in the 4-byte header): from the first such wait of a frame, the frame has
     * {@link TransportOptions#frameTimeout()} to arrive whole.
     */
    void waitingInsideFrame(long got, long length) {
        frameGot = got;
        frameLength = length;
        if (frameTimer == null) {
            long frame = framesRead;
            Clock system = Clock.system();
            frameTimer = system.schedule(system.now().plus(options.frameTimeout()), () -> asPeer(() -> frameTimedOut(frame)));
        }
    }

    private void frameTimedOut(long frame) {
        if (framesRead != frame || closing.get()) {
            return; // it arrived meanwhile
        }
        ProtocolException why = new ProtocolException("frame from " + remote + " did not arrive within the frame timeout of "
                + options.frameTimeout() + ": got " + frameGot + " of " + (frameLength < 0 ? "its 4 header" : frameLength)
                + " bytes (a peer that stops inside a frame)");
        log.warn("Closing connection {}: {}", this, why.getMessage());
        abort(why);
    }

    private void frameArrived() {
        framesRead++;
        TimerHandle t = frameTimer;
        if (t != null) {
            t.cancel();
            frameTimer = null;
        }
        if (options.idleTimeout() != null) {
            lastActivity = System.nanoTime();
        }
    }

    private void armIdleTimer(long afterNanos) {
        Clock system = Clock.system();
        idleTimer = system.schedule(system.now().plusNanos(afterNanos), () -> asPeer(this::idleCheck));
    }

    private void idleCheck() {
        if (closing.get()) {
            return;
        }
        long limit = options.idleTimeout().toNanos();
        long quiet = System.nanoTime() - lastActivity;
        if (quiet >= limit) {
            log.info("Closing connection {}: no frame either way for {} (the idle timeout)", this, options.idleTimeout());
            close();
        } else {
            armIdleTimer(limit - quiet);
        }
    }

    /** Runs a timer's action with the peer in the logging context: the clock's thread serves every connection. */
    private void asPeer(Runnable action) {
        try (LogContext.Scope scope = LogContext.connection(loop, remote)) {
            action.run();
        }
    }

    /** Reads the next frame's payload; {@code null} at an orderly end of stream. */
    abstract byte[] readFrame() throws IOException;

    /** Writes the frames, in order. */
    abstract void writeFrames(List<byte[]> frames) throws IOException;

    /** Ends the medium at once (after an error, or when it was never started). */
    abstract void closeMedium();

    /**
     * Ends this side's output in order: the peer reads every frame written, then the end of stream,
     * while this side goes on reading. {@return {@code false} if the medium cannot; it is then
     * closed at once}
     */
    boolean shutdownOutput() throws IOException {
        return false;
    }

    /** Runs {@code action} once, when the connection has ended (before its handler hears onClose). */
    void afterEnd(Runnable action) {
        afterEnd = action;
    }

    private void runAfterEnd() {
        Runnable r = afterEnd;
        if (r != null && afterEndRan.compareAndSet(false, true)) {
            r.run();
        }
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
        Objects.requireNonNull(handler, "handler");
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("connection " + this + " was started already");
        }
        loop = LogContext.currentLoop();
        if (options.idleTimeout() != null) {
            lastActivity = System.nanoTime();
            armIdleTimer(options.idleTimeout().toNanos());
        }
        Thread.ofVirtual().name("reader " + this).start(() -> {
            LogContext.enterThread(loop, remote);
            readLoop(handler);
        });
        readyToWrite = true;
        if (!outbox.isEmpty()) {
            startWriter(); // frames were queued before the start
        }
    }

    /**
     * Starts the writer at the first frame or close marker queued after {@link #start}, not in
     * {@code start} itself: a writer started at once would only park on the empty outbox, and
     * that start and the wake-up at the first frame are two thread hand-offs where one does the
     * same (a connect plus its first call spends most of its time in such hand-offs).
     */
    private void startWriter() {
        if (writerStarted.compareAndSet(false, true)) {
            Thread.ofVirtual().name("writer " + this).start(() -> {
                LogContext.enterThread(loop, remote);
                writeLoop();
            });
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
        // Wait for room first, queue after: a sender that gives up while it waits (timeout,
        // cancellation) leaves no frame behind that would still be written.
        Clock clock = Clock.current();
        Duration deadline = timeout == null ? null : clock.now().plus(timeout);
        while (queuedBytes.get() > options.writeBufferSize() && !closing.get()) {
            flushStaged(); // what waits in staged must reach the writer to make room
            writable.clear();
            // Re-check after clearing: the writer may have drained in between and set the event already.
            if (queuedBytes.get() <= options.writeBufferSize() || closing.get()) {
                break;
            }
            if (timeout == null) {
                writable.await();
            } else {
                Duration left = deadline.minus(clock.now());
                try {
                    writable.await(left.isNegative() ? Duration.ZERO : left);
                } catch (TimeoutException e) {
                    throw new TimeoutException("timed out after " + timeout + " waiting for room to send on " + this
                            + " (" + queuedBytes.get() + " bytes queued: the peer reads slower than this side writes)");
                }
            }
        }
        // Checked and queued under the lock a close takes to queue its marker: a frame queued
        // behind the marker would be dropped although its send returned.
        queueing.lock();
        try {
            if (closing.get()) {
                throw closedException();
            }
            queuedBytes.addAndGet(payload.length + 4L);
            // Only a task's frame waits, and only for its own loop; any other goes out at once,
            // after the staged ones (a frame from outside the loop must not wait for the loop).
            Loop here = TurnBatching.currentLoop();
            if (here != null && deferredOn == null && TurnBatching.deferWhileOthersReady(flushStaged)) {
                deferredOn = here;
            }
            if (here != null && here == deferredOn && stagedBytes < MAX_STAGED_BYTES) {
                staged.add(payload);
                stagedBytes += payload.length + 4L;
                return;
            }
            unstage();
            outbox.add(payload);
        } finally {
            queueing.unlock();
        }
        if (readyToWrite) {
            startWriter();
        }
    }

    /** Hands the staged frames to the writer. */
    private void flushStaged() {
        boolean moved;
        queueing.lock();
        try {
            deferredOn = null;
            moved = unstage();
        } finally {
            queueing.unlock();
        }
        if (moved && readyToWrite) {
            startWriter();
        }
    }

    /** Moves the staged frames to the outbox, in order; caller holds queueing. {@return whether there were any} */
    private boolean unstage() {
        if (staged.isEmpty()) {
            return false;
        }
        outbox.addAll(staged);
        staged.clear();
        stagedBytes = 0;
        return true;
    }

    @Override
    public void close() {
        if (markClosing(false)) {
            writable.set();
            if (!started.get()) {
                closeMedium();
                ended.set(true);
                runAfterEnd();
                return;
            }
            // The close itself bounds how long it may take: a writer blocked on a peer that does not
            // read would otherwise never reach the close marker, and the connection would live on.
            Clock system = Clock.system();
            forcedClose = system.schedule(system.now().plus(options.closeGrace()), () -> asPeer(this::closeGraceOver));
            if (ended.get()) {
                forcedClose.cancel();
            }
        }
    }

    /** The close grace has passed and the connection has not ended: end it now. */
    private void closeGraceOver() {
        if (ended.get()) {
            return;
        }
        if (writerDone) { // all was written; only the peer's end did not come
            log.debug("Connection {}: the peer did not close its side within {}; closing", this, options.closeGrace());
            closeMedium();
            return;
        }
        IOException cause = new IOException("closing " + this + " took longer than the close grace of "
                + options.closeGrace() + ": the peer did not read what was queued (" + queuedBytes.get()
                + " bytes dropped); closed at once");
        log.warn("{}", cause.getMessage());
        abort(cause);
    }

    /** Closes at once after an error, dropping what is queued. */
    void abort(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        markClosing(true);
        writable.set();
        closeMedium();
    }

    /**
     * Marks the connection closing and queues the close marker, dropping what is queued if
     * {@code dropQueued}. {@return whether this call was the first to mark it}
     */
    private boolean markClosing(boolean dropQueued) {
        boolean first;
        queueing.lock();
        try {
            first = closing.compareAndSet(false, true);
            if (dropQueued) {
                outbox.clear();
                staged.clear();
                stagedBytes = 0;
            } else {
                unstage(); // frames sent before the close go out before its marker
            }
            if (first || dropQueued) {
                outbox.add(CLOSE);
            }
        } finally {
            queueing.unlock();
        }
        if (readyToWrite) {
            startWriter();
        }
        return first;
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
                frameArrived();
                handler.onFrame(frame);
            }
        } catch (IOException | RuntimeException e) {
            // A read failing because this side closed is an orderly end, not an error.
            if (!closing.get() || failure != null || e instanceof ProtocolException) {
                cause = failure != null ? failure : deadPeer(e);
                if (cause != e) {
                    log.warn("Closing connection {}: {}", this, cause.getMessage());
                } else if (e instanceof ProtocolException) {
                    log.warn("Closing connection {}: {}", this, e.getMessage());
                } else {
                    log.debug("Connection {} failed", this, e);
                }
            }
        } finally {
            TimerHandle idle = idleTimer;
            if (idle != null) {
                idle.cancel();
            }
            TimerHandle frameTimeout = frameTimer;
            if (frameTimeout != null) {
                frameTimeout.cancel();
            }
            closeStep(READER_ENDED);
            if (cause == null && failure != null) {
                cause = failure; // aborted (the close grace ran out): the end of stream that followed is no orderly close
            }
            if (cause != null) {
                abort(cause);
            } else {
                close(); // the peer closed: stop writing too
            }
            runAfterEnd(); // before the handler hears of it: whoever it tells sees the end complete
            if (ended.compareAndSet(false, true)) {
                TimerHandle t = forcedClose;
                if (t != null) {
                    t.cancel();
                }
                handler.onClose(cause);
            }
        }
    }

    /**
     * {@return {@code e} said plainly if it is keepalive giving up on a peer that stopped answering
     * (the kernel reports it as a timed-out read), else {@code e}}
     */
    private Exception deadPeer(Exception e) {
        TransportOptions.KeepAlive k = options.keepAlive();
        if (k != null && e instanceof IOException && String.valueOf(e.getMessage()).contains("timed out")) {
            return new IOException("peer " + remote + " stopped answering: " + k.probes() + " keepalive probe"
                    + (k.probes() == 1 ? "" : "s") + " went unanswered after " + k.idle() + " of quiet (its host or the"
                    + " network between is gone): " + e.getMessage(), e);
        }
        return e;
    }

    private void writeLoop() {
        List<byte[]> batch = new ArrayList<>();
        try {
            while (true) {
                batch.add(outbox.take());
                // Under the lock that moves staged frames to the outbox: a batch of them goes out
                // in one write, not split by a writer that woke at the first of them.
                queueing.lock();
                try {
                    outbox.drainTo(batch, MAX_BATCH);
                } finally {
                    queueing.unlock();
                }
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
                    if (options.idleTimeout() != null) {
                        lastActivity = System.nanoTime();
                    }
                }
                if (queuedBytes.addAndGet(-bytes) <= options.writeBufferSize() / 2) {
                    writable.set();
                }
                batch.clear();
                if (close) {
                    writerDone = true;
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

    /**
     * Closing a socket that still holds unread incoming bytes makes the kernel send a reset, which
     * throws away what this side wrote but the peer has not read yet. So an orderly close only shuts
     * the output down and closes the medium once the reader has seen the peer's end too, or when the
     * close grace of {@link TransportOptions#closeGrace()} is over.
     */
    private void finishMedium() {
        boolean halfClosed;
        try {
            halfClosed = shutdownOutput();
        } catch (IOException e) {
            log.debug("Shutting down the output of {} failed", this, e);
            halfClosed = false;
        }
        if (halfClosed) {
            closeStep(OUTPUT_SHUT);
        } else {
            closeMedium();
        }
    }

    /** Records one step of an orderly close; closes the medium after both. */
    private void closeStep(int step) {
        int before = closeSteps.getAndUpdate(v -> v | step);
        if (before != BOTH && (before | step) == BOTH) {
            closeMedium();
        }
    }

    @Override
    public String toString() {
        return local + " <-> " + remote;
    }
}
