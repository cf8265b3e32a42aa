package io.loomas.channel;

import io.loomas.codec.Codec;
import io.loomas.codec.CodecException;
import io.loomas.codec.Message;
import io.loomas.codec.MessageType;
import io.loomas.runtime.CancelledException;
import io.loomas.runtime.Clock;
import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Promise;
import io.loomas.runtime.Queue;
import io.loomas.runtime.Task;
import io.loomas.runtime.TimeoutException;
import io.loomas.runtime.internal.CurrentTask;
import io.loomas.runtime.internal.JfrEvents;
import io.loomas.runtime.internal.OpenResource;
import io.loomas.runtime.internal.Telemetry;
import io.loomas.runtime.internal.TurnBatching;
import io.loomas.transport.Address;
import io.loomas.transport.Connection;
import io.loomas.transport.ConnectionClosedException;
import io.loomas.transport.FrameHandler;
import io.loomas.transport.ProtocolException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request-reply channel over one connection: send a request and block the calling task until
 * its reply, or receive the peer's requests and answer them.
 *
 * <p>Both peers may send requests on the same channel; each direction numbers its requests, and
 * replies are matched to requests by number, so many tasks may {@link #send} at once and replies
 * may arrive in any order. Only one task at a time may {@link #recv()}.
 *
 * {@snippet class="io.loomas.snippets.ChannelSnippets" region="channel"}
 *
 * <p>When the channel closes (either side closes it, the connection drops, or the peer breaks the
 * protocol) every pending {@code send} and a waiting {@code recv} fail with a
 * {@link ConnectionClosedException} naming why, and later calls fail at once.
 *
 * <p>Thread-safe.
 */
public final class Channel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Channel.class);
    private static final Object END = new Object();

    private final Connection connection;
    private final Codec codec;
    private final boolean remoteStackTraces;
    private final JfrEvents.Connection recorded; // null unless a recording took connection events at the start
    private final AtomicLong nextId = new AtomicLong();
    private final ConcurrentHashMap<Long, Promise<Object>> pending = new ConcurrentHashMap<>();
    private final AbandonedIds abandoned = new AbandonedIds();
    private final Queue<Object> inbox = new Queue<>();
    private final java.util.concurrent.Semaphore inboxRoom;
    /** Whether this channel asked a thread-free connection to hold frames because its inbox is full. */
    private final AtomicBoolean readingPaused = new AtomicBoolean();
    private final AtomicReference<Object> receiver = new AtomicReference<>();
    private final Promise<Void> closed = new Promise<>();
    /** Received requests not answered yet; a drain waits for none. */
    private final AtomicInteger unanswered = new AtomicInteger();
    private volatile Promise<Void> drained; // set when a server's graceful shutdown begins
    private volatile Throwable closeCause;
    /** Requests received in a row while more were queued; only the receiving task uses it. */
    private int receivedAhead;
    private static final int MAX_RECEIVED_AHEAD = 64;
    private volatile boolean closedLocally;
    private volatile Telemetry.ChannelView telemetry; // set at the start if a metrics sink listens

    Channel(Connection connection, ChannelOptions options) {
        this.connection = connection;
        JfrEvents.Connection event = new JfrEvents.Connection();
        if (event.isEnabled()) { // a recording asks for connections: time this one
            event.begin();
            this.recorded = event;
        } else {
            this.recorded = null;
        }
        this.codec = Objects.requireNonNull(options.connectionCodec().apply(options.codec()), "connection codec");
        this.remoteStackTraces = options.remoteStackTraces();
        this.inboxRoom = new java.util.concurrent.Semaphore(options.inboxCapacity());
    }

    /** Lists this client channel among its loop's open resources until it closes. */
    void tracked(OpenResource resource) {
        closed.whenDone(resource::release);
    }

    /** Starts reading from the connection; {@code accepted} if a server accepted it, else this side dialed. */
    Channel start(boolean accepted) {
        if (Telemetry.active()) {
            Gauges view = new Gauges(accepted);
            telemetry = view;
            Telemetry.channelOpened(view);
        }
        connection.start(new Reader());
        return this;
    }

    /** The channel's queues as a metrics gauge reads them, from any thread. */
    private final class Gauges implements Telemetry.ChannelView {
        private final boolean accepted;

        Gauges(boolean accepted) {
            this.accepted = accepted;
        }

        @Override
        public boolean accepted() {
            return accepted;
        }

        @Override
        public int queuedRequests() {
            return inbox.size();
        }

        @Override
        public int pendingCalls() {
            return pending.size();
        }
    }

    /** {@return the peer's address} */
    public Address peerAddress() {
        return connection.remoteAddress();
    }

    /**
     * {@return the certificates the peer authenticated with over TLS, its own first; empty on a
     * plain transport}
     */
    public List<java.security.cert.X509Certificate> peerCertificates() {
        return connection.peerCertificates();
    }

    /** {@return this side's address} */
    public Address localAddress() {
        return connection.localAddress();
    }

    /** {@return the channel's codec: this connection's own, see {@link ChannelOptions#connectionCodec()}} */
    public Codec codec() {
        return codec;
    }

    /** {@return whether the channel is open} */
    public boolean isOpen() {
        return !closed.isDone();
    }

    /**
     * {@return why the channel closed: a {@link ConnectionClosedException} saying by whom, with the
     * error as its cause if one closed it; {@code null} while the channel is open}
     */
    public ConnectionClosedException closeCause() {
        return isOpen() ? null : closedException();
    }

    /** {@return whether this side closed the channel (as opposed to the peer or an error)} */
    public boolean isClosedByThisSide() {
        return closedLocally;
    }

    /** {@return a future that completes when the channel has closed, for whatever reason} */
    public Future<Void> closed() {
        return closed;
    }

    /**
     * Sends {@code content} as a request and waits for the reply. A scheduling point: the calling
     * task waits, other tasks go on.
     *
     * @return the reply's content (may be {@code null})
     * @throws RemoteException if the peer answered with a failure
     * @throws ConnectionClosedException if the channel is closed, or closes while waiting
     * @throws CodecException if {@code content} cannot be encoded (nothing is sent then)
     * @throws CancelledException if the calling task is cancelled while waiting: for room in the
     *     write buffer (then nothing is sent) or for the reply (then a late reply is dropped)
     */
    public Object send(Object content) {
        return awaitReply(request(content, null), null, null);
    }

    /**
     * Like {@link #send(Object)}, but the whole call takes at most {@code timeout} on the caller's
     * clock (the loop's clock for a task): the wait for room in the write buffer and the wait for
     * the reply together.
     *
     * @throws TimeoutException if the time is up first: nothing was sent if it was still waiting for
     *     room; else a late reply is dropped
     */
    public Object send(Object content, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        Clock clock = Clock.current();
        Duration deadline = clock.now().plus(timeout);
        Future<Object> reply = request(content, timeout);
        Duration left = deadline.minus(clock.now());
        return awaitReply(reply, left.isNegative() ? Duration.ZERO : left, timeout);
    }

    /**
     * Sends {@code content} as a request; the future completes with the reply. Waits only while the
     * write buffer is full (a scheduling point then). Cancelling the future abandons the request: a
     * late reply is dropped.
     *
     * @throws ConnectionClosedException if the channel is closed
     * @throws CodecException if {@code content} cannot be encoded (nothing is sent then)
     * @throws CancelledException if the calling task is cancelled while waiting for room (nothing is
     *     sent then)
     */
    public Future<Object> request(Object content) {
        return request(content, null);
    }

    private Future<Object> request(Object content, Duration roomTimeout) {
        if (!isOpen()) {
            throw closedException();
        }
        long id = nextId.getAndIncrement();
        byte[] frame = codec.encodeMessage(new Message(MessageType.REQUEST, id, content));
        Promise<Object> reply = new Promise<>();
        pending.put(id, reply);
        if (!isOpen()) { // closed meanwhile: fail() may have missed this entry
            pending.remove(id);
            throw closedException();
        }
        try {
            if (roomTimeout == null) {
                connection.send(frame);
            } else {
                connection.send(frame, roomTimeout);
            }
        } catch (RuntimeException e) { // nothing was queued: no reply can come
            pending.remove(id);
            throw e instanceof ConnectionClosedException ? closedException() : e;
        }
        // An abandoned request (cancelled, timed out) leaves the pending calls; its reply, if one
        // still comes, is dropped.
        reply.whenDone(() -> {
            if (reply.isCancelled()) {
                // Marked abandoned before it leaves the pending calls: the reader thread, taking a
                // reply in between, must find the id abandoned, not unknown (which closes the channel).
                abandoned.add(id);
                if (!pending.remove(id, reply)) {
                    abandoned.remove(id); // the reader took it first and drops the reply itself
                }
            }
        });
        log.trace("{} -> request {}: {}", this, id, content);
        return reply;
    }

    private static Object awaitReply(Future<Object> reply, Duration left, Duration timeout) {
        try {
            return left == null ? reply.await() : reply.await(left);
        } catch (TimeoutException | CancelledException e) {
            if (!reply.isDone() && reply.cancel()) {
                if (e instanceof TimeoutException) {
                    throw new TimeoutException("timed out after " + timeout + " waiting for the reply");
                }
                throw e;
            }
            if (e instanceof CancelledException && !reply.isCancelled()) {
                throw e; // the calling task was cancelled
            }
            return reply.result(); // the reply won the race
        }
    }

    /**
     * Waits for the peer's next request. A scheduling point.
     *
     * @return the request; answer it with {@link Request#reply} or {@link Request#fail}
     * @throws IllegalStateException if another task is receiving on this channel already
     * @throws ConnectionClosedException if the channel is closed, or closes while waiting
     * @throws CancelledException if the calling task is cancelled while waiting
     */
    public Request recv() {
        Object me = Task.current();
        Object other = receiver.compareAndExchange(null, me);
        if (other != null) {
            throw new IllegalStateException("another receiver (" + other + ") is waiting on " + this
                    + " already (expected: one receiver at a time)");
        }
        try {
            if (!isOpen()) {
                throw closedException();
            }
            Object item = inbox.take();
            if (item == END) {
                inbox.offer(END);
                throw closedException();
            }
            Request request = (Request) item;
            // A receiver with more requests queued answers them before it waits, so its replies
            // go to the writer together; a bounded number in a row, then they go (TurnBatching).
            boolean more = !inbox.isEmpty();
            boolean ahead = more && receivedAhead < MAX_RECEIVED_AHEAD;
            TurnBatching.workAhead(ahead, more && !ahead);
            receivedAhead = ahead ? receivedAhead + 1 : 0;
            if (request.holdsInboxRoom) {
                inboxRoom.release();
                if (readingPaused.compareAndSet(true, false)) {
                    connection.resumeReading();
                }
            }
            return request;
        } finally {
            receiver.set(null);
        }
    }

    /**
     * Closes the channel: pending sends and a waiting receiver fail at once; frames already queued
     * are still written. Does nothing if already closed.
     */
    @Override
    public void close() {
        if (isOpen()) {
            closedLocally = true;
        }
        end(null, "closed by this side");
        connection.close();
    }

    /** {@return the text of a failure reply for {@code error}: its stack trace, or only its first line if so set} */
    String failureText(Throwable error) {
        return remoteStackTraces ? Request.stackTrace(error) : Request.firstLine(error);
    }

    /** Sends a reply or failure for request {@code id}. */
    void sendReply(Object id, MessageType type, Object content) {
        if (!isOpen()) {
            throw closedException();
        }
        connection.send(codec.encodeMessage(new Message(type, id, content)));
    }

    private void end(Throwable cause, String why) {
        if (closed.isDone()) {
            return;
        }
        closeCause = cause != null ? cause : new ConnectionClosedException("channel " + this + " " + why, null);
        if (!closed.complete(null)) {
            return;
        }
        JfrEvents.Connection event = recorded;
        if (event != null) {
            event.end();
            if (event.shouldCommit()) {
                event.local = String.valueOf(localAddress());
                event.peer = String.valueOf(peerAddress());
                event.reason = cause != null ? cause.getClass().getSimpleName() + ": " + cause.getMessage() : why;
                event.commit();
            }
        }
        Telemetry.ChannelView view = telemetry;
        if (view != null) {
            Telemetry.channelClosed(view, closedLocally, cause);
        }
        List<Promise<Object>> calls = new ArrayList<>(pending.values());
        pending.clear();
        for (Promise<Object> p : calls) {
            p.fail(closedException());
        }
        inbox.offer(END);
        inboxRoom.release(Integer.MAX_VALUE / 2); // a reader waiting for room must not wait forever
    }

    private ConnectionClosedException closedException() {
        Throwable cause = closeCause;
        if (cause instanceof ConnectionClosedException c && c.getCause() == null) {
            return new ConnectionClosedException(c.getMessage(), null);
        }
        return new ConnectionClosedException("channel " + this + " is closed"
                + (cause != null ? ": " + cause.getMessage() : ""), cause);
    }

    @Override
    public String toString() {
        return localAddress() + " -> " + peerAddress();
    }

    /**
     * The ids of requests whose callers gave up (cancelled, timed out), so that their late replies
     * are dropped instead of breaking the connection for every other caller. Bounded: past
     * {@link #LIMIT} ids the oldest are forgotten, and any reply to an id at or below the highest
     * forgotten one counts as late (a peer replying twice to such an old id is not told apart).
     */
    static final class AbandonedIds {
        static final int LIMIT = 1024;
        private final java.util.ArrayDeque<Long> order = new java.util.ArrayDeque<>();
        private final java.util.HashSet<Long> ids = new java.util.HashSet<>();
        private long forgottenUpTo = -1;

        synchronized void add(long id) {
            if (ids.add(id)) {
                order.addLast(id);
                if (order.size() > LIMIT) {
                    long old = order.removeFirst();
                    ids.remove(old);
                    forgottenUpTo = Math.max(forgottenUpTo, old);
                }
            }
        }

        /** {@return whether {@code id} was abandoned; forgets it, since one reply per request comes} */
        synchronized boolean remove(long id) {
            if (ids.remove(id)) {
                order.remove(id);
                return true;
            }
            return id <= forgottenUpTo;
        }

        synchronized int size() {
            return ids.size();
        }
    }

    /** Counts one more received request answered (called once per request). */
    void requestAnswered() {
        if (unanswered.decrementAndGet() == 0) {
            Promise<Void> d = drained;
            if (d != null) {
                d.complete(null);
            }
        }
    }

    /**
     * Starts draining: requests received from now on are answered at once with a failure saying
     * the server shuts down; {@return a future that completes once every request received before
     * has been answered}
     */
    Future<Void> drain() {
        Promise<Void> d = new Promise<>();
        drained = d;
        if (unanswered.get() == 0) {
            d.complete(null);
        }
        return d;
    }

    /** {@return how many requests wait for their reply; for tests of the bookkeeping} */
    int pendingCount() {
        return pending.size();
    }

    /** {@return how many abandoned request ids are remembered; for tests of the bookkeeping} */
    int abandonedCount() {
        return abandoned.size();
    }

    /** Runs on the connection's reader thread. */
    private final class Reader implements FrameHandler {
        @Override
        public void onFrame(byte[] payload) {
            Message m;
            try {
                m = codec.decodeMessage(payload, 0, payload.length);
            } catch (CodecException e) {
                throw new ProtocolException("undecodable frame from " + peerAddress() + ": " + e.getMessage(), e);
            }
            switch (m.type()) {
                case REQUEST -> {
                    log.trace("{} <- request {}: {}", Channel.this, m.id(), m.content());
                    Request request = new Request(Channel.this, m.id(), m.content());
                    unanswered.incrementAndGet();
                    if (drained != null) {
                        // The server drains: what it took is served, what comes now is not (and says so).
                        request.fail(new IllegalStateException("the server is shutting down: this request was not"
                                + " served (send it again elsewhere)"));
                        return;
                    }
                    // A transport with threads hands frames in on its reader: a full inbox stops the
                    // reading and the peer waits. A thread-free one (the simulated network) delivers on
                    // the loop, where waiting for room would stop the whole loop; there the request
                    // is queued without taking room, and the connection holds further frames until
                    // recv() makes room again.
                    if (CurrentTask.get() == null) { // a reader thread
                        try {
                            inboxRoom.acquire();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new ProtocolException("interrupted while queueing a request from " + peerAddress(), e);
                        }
                        request.holdsInboxRoom = true;
                    } else {
                        request.holdsInboxRoom = inboxRoom.tryAcquire();
                        if (!request.holdsInboxRoom && readingPaused.compareAndSet(false, true)) {
                            log.debug("Inbox of {} is full: holding further frames from the peer", Channel.this);
                            connection.pauseReading();
                        }
                    }
                    inbox.offer(request);
                }
                case RESULT, FAILURE -> {
                    Promise<Object> call = pending.remove(m.id());
                    if (call == null || call.isCancelled()) {
                        if (call != null || (m.id() instanceof Long id && abandoned.remove(id))) {
                            log.debug("Dropping late reply to request {} from {}: the caller gave up waiting",
                                    m.id(), peerAddress());
                            return;
                        }
                        throw new ProtocolException("reply to unknown request id " + m.id() + " from " + peerAddress()
                                + " (expected: the id of a request in flight on this connection)");
                    }
                    if (m.type() == MessageType.RESULT) {
                        call.complete(m.content());
                    } else {
                        call.fail(new RemoteException(peerAddress().toString(), (String) m.content()));
                    }
                }
            }
        }

        @Override
        public void onClose(Throwable cause) {
            if (cause != null) { // the connection logged the reason already
                log.debug("Channel {} closed after an error: {}", Channel.this, cause.getMessage());
            }
            end(cause, "closed by the peer " + peerAddress());
        }
    }
}
