package io.loomas.channel;

import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Promise;
import io.loomas.runtime.Task;
import io.loomas.runtime.TimeoutException;
import io.loomas.runtime.internal.OpenResource;
import io.loomas.runtime.internal.OpenResources;
import io.loomas.transport.Address;
import io.loomas.transport.Listener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A channel server: accepts connections and runs a {@link ConnectionHandler} for each, as a task of
 * the loop that started it.
 *
 * <p>{@link #close()} stops accepting and closes the channels of this server; {@link #awaitClosed()}
 * then waits until every handler task has finished. Unlike asyncio's {@code Server.close()}, which
 * only stops listening, requests still in flight on those channels end with a
 * {@link io.loomas.transport.ConnectionClosedException}; {@link #shutdown(Duration)} lets them be
 * answered first, within a grace period (gRPC's {@code shutdown}, beside {@link #shutdownNow()}).
 * Thread-safe.
 */
public final class Server implements AutoCloseable {
    private volatile Listener listener; // set right after binding, before any connection is handed over
    // Insertion-ordered, never hash-ordered: the order of closes reaches the schedule and a
    // simulation's trace, and must not depend on identity hash codes.
    private final Set<Channel> channels = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Set<Task<Void>> handlers = Collections.synchronizedSet(new LinkedHashSet<>());
    private volatile boolean closed; // written under admissions
    private volatile OpenResource tracking;
    // Hand-overs past the "still open?" check whose handler is not registered yet: awaitClosed()
    // waits for them, so no handler starts after it returned.
    private final Object admissions = new Object();
    private int admitting; // guarded by admissions
    private final Promise<Void> admissionsOver = new Promise<>();

    Server() {}

    void listening(Listener listener) {
        this.listener = listener;
        this.tracking = OpenResources.track(this);
        if (closed) {
            listener.close();
        }
    }

    /** {@return the address the server listens on, with the real port if port 0 was asked for} */
    public Address address() {
        return listener.address();
    }

    /** {@return the channels of this server that are open now} */
    public List<Channel> channels() {
        synchronized (channels) {
            return List.copyOf(channels);
        }
    }

    /** {@return whether {@link #close()} was called} */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops accepting and closes this server's channels at once: requests still in flight on them
     * end with a {@link io.loomas.transport.ConnectionClosedException}. Does nothing if already closed.
     */
    @Override
    public void close() {
        stopAccepting();
        for (Channel c : channels()) {
            c.close();
        }
    }

    /** The same as {@link #close()}: gRPC's name for it, beside {@link #shutdown(Duration)}. */
    public void shutdownNow() {
        close();
    }

    /**
     * Shuts down gracefully: stops accepting, lets the requests already received be answered
     * (within {@code grace}, on the loop's clock), then closes every channel. A request that
     * arrives meanwhile is answered at once with a failure that says the server shuts down and
     * the request was not served. A scheduling point.
     *
     * @return whether every request received before was answered within {@code grace}; if not,
     *     those left end as with {@link #close()}
     */
    public boolean shutdown(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        stopAccepting();
        List<Future<Void>> drains = new ArrayList<>();
        for (Channel c : channels()) {
            drains.add(c.drain());
        }
        boolean inTime = true;
        try {
            Future.all(drains).await(grace);
        } catch (TimeoutException e) {
            inTime = false;
        }
        close();
        return inTime;
    }

    private void stopAccepting() {
        synchronized (admissions) {
            if (closed) {
                return;
            }
            closed = true;
            if (admitting == 0) {
                admissionsOver.complete(null);
            }
        }
        OpenResource t = tracking;
        if (t != null) {
            t.release();
        }
        Listener l = listener;
        if (l != null) {
            l.close();
        }
    }

    /**
     * Waits until every handler task of this server has finished, including those of connections
     * handed over while it closed, so that none starts afterwards. A scheduling point. Call after
     * {@link #close()}; called before, it waits for the close.
     */
    public void awaitClosed() {
        admissionsOver.await();
        // A handler's failure was reported to the loop already: here only its end matters.
        List<Task<Void>> running;
        synchronized (handlers) {
            running = List.copyOf(handlers);
        }
        Future.allSettled(running).await();
    }

    /**
     * Starts handing a new connection over: {@code false} once the server is closed (the caller
     * closes the connection). Each {@code true} is followed by one {@link #endAdmission()}.
     */
    boolean beginAdmission() {
        synchronized (admissions) {
            if (closed) {
                return false;
            }
            admitting++;
            return true;
        }
    }

    /** Ends a hand-over begun by {@link #beginAdmission()}, whether its handler started or not. */
    void endAdmission() {
        synchronized (admissions) {
            if (--admitting == 0 && closed) {
                admissionsOver.complete(null);
            }
        }
    }

    void add(Channel channel, Task<Void> handler) {
        channels.add(channel);
        handlers.add(handler);
        channel.closed().whenDone(() -> channels.remove(channel));
        handler.whenDone(() -> handlers.remove(handler));
        if (closed) {
            channel.close();
        }
    }

    @Override
    public String toString() {
        return "Server[" + address() + (closed ? ", closed" : "") + "]";
    }
}
