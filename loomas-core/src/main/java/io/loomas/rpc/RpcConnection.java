package io.loomas.rpc;

import io.loomas.channel.Channel;
import io.loomas.runtime.CancelledException;
import io.loomas.runtime.Clock;
import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Promise;
import io.loomas.runtime.Task;
import io.loomas.runtime.internal.CurrentTask;
import io.loomas.runtime.internal.Telemetry;
import io.loomas.transport.Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RPC connection, seen from either side: proxies to call the peer's services, and the serving
 * of the peer's calls to the local service tree (both sides may call each other). aiomas calls it
 * {@code RpcClient}; {@link Rpc#connect} opens one, and an {@link RpcServer} makes one per client.
 *
 * {@snippet class="io.loomas.snippets.RpcSnippets" region="connection"}
 *
 * <p>An incoming call that waits does not hold up the others: it runs in the task that receives
 * the connection's requests until it first reaches a scheduling point, and a new task takes over
 * receiving just before (on a deterministic loop each call gets a task of its own at once).
 * Thread-safe.
 */
public final class RpcConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RpcConnection.class);

    private final Channel channel;
    private final Router router;
    private final ProxySerializer proxies;
    private final Duration callTimeout;
    private final Remote root;
    private final List<Consumer<Throwable>> resetCallbacks = new CopyOnWriteArrayList<>();
    private final CallDispatcher dispatcher;
    private volatile Task<?> serving;
    private final Promise<Void> servingDone = new Promise<>();

    RpcConnection(Channel channel, Router router, RpcOptions options) {
        this.channel = channel;
        this.router = router;
        this.proxies = ProxySerializer.of(channel.codec());
        this.callTimeout = options.callTimeout();
        this.dispatcher = new CallDispatcher(channel, router, options.maxConcurrentCalls(), options.interceptors(), this);
        this.root = new Remote(proxies, "");
        proxies.bind(this);
    }

    /** {@return a proxy for the peer's root service} */
    public Remote remote() {
        return root;
    }

    /** {@return a typed proxy of {@code api} for the peer's root service} */
    public <T> T remote(Class<T> api) {
        return root.as(api);
    }

    /** {@return a typed proxy of {@code api} for the peer's service at {@code path}} */
    public <T> T remote(Class<T> api, String path) {
        return root.at(path).as(api);
    }

    /** {@return the channel underneath} */
    public Channel channel() {
        return channel;
    }

    /** {@return the peer's address} */
    public Address peerAddress() {
        return channel.peerAddress();
    }

    /** {@return the local service tree the peer may call, or null if this side serves none} */
    public Router router() {
        return router;
    }

    /** {@return a future that completes when the connection has closed} */
    public Future<Void> closed() {
        return channel.closed();
    }

    /** {@return whether the connection is open} */
    public boolean isOpen() {
        return channel.isOpen();
    }

    /**
     * Registers a callback for the connection ending other than by {@link #close()}: the peer
     * closed it, or it broke. It runs once, on the thread that noticed, with the reason.
     */
    public void onConnectionReset(Consumer<Throwable> callback) {
        resetCallbacks.add(callback);
    }

    /** Closes the connection; pending calls fail, and calls of the peer still running are cancelled. */
    @Override
    public void close() {
        channel.close();
    }

    /**
     * Waits until the connection is closed, the task serving the peer's calls has ended and the
     * calls it started have finished (they are cancelled when the connection closes). A scheduling
     * point; call after {@link #close()}.
     */
    public void awaitClosed() {
        channel.closed().await();
        List<Future<?>> ending = new ArrayList<>(dispatcher.runningCalls());
        Task<?> s = serving;
        if (s != null && s != CurrentTask.get()) {
            ending.add(s);
        }
        // A call's failure was sent to the peer already; cancellation is expected here.
        Future.allSettled(ending).await();
    }

    void servedBy(Task<?> task) {
        this.serving = task;
        task.whenDone(() -> servingDone.complete(null));
    }

    /**
     * {@return a future that completes once the task serving the peer's calls has ended, which it
     * does after the connection closed; for owners that must not forget a connection before then}
     */
    public Future<Void> servingDone() {
        return servingDone;
    }

    /** Calls {@code path}, bounded by {@code timeout}, or by the connection's call timeout if it is null. */
    Object call(String path, List<?> args, Map<String, ?> kwargs, Duration timeout) {
        List<Object> request = Arrays.asList(path, args, kwargs);
        Duration limit = timeout != null ? timeout : callTimeout;
        if (!Telemetry.active()) {
            return send(request, limit);
        }
        Clock clock = Loop.current().clock();
        long start = clock.now().toNanos();
        Throwable failure = null;
        try {
            return send(request, limit);
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            Telemetry.callMade(path, failure, clock.now().toNanos() - start);
        }
    }

    private Object send(List<Object> request, Duration limit) {
        return limit == null ? channel.send(request) : channel.send(request, limit);
    }

    Future<Object> callAsync(String path, List<?> args, Map<String, ?> kwargs) {
        List<Object> request = Arrays.asList(path, new ArrayList<>(args), kwargs);
        if (!Telemetry.active()) {
            return channel.request(request);
        }
        Clock clock = Loop.current().clock();
        long start = clock.now().toNanos();
        Future<Object> reply;
        try {
            reply = channel.request(request);
        } catch (RuntimeException | Error e) {
            Telemetry.callMade(path, e, clock.now().toNanos() - start);
            throw e;
        }
        reply.whenDone(() -> Telemetry.callMade(path, reply.isCancelled() ? new CancelledException("cancelled")
                : reply.exception(), clock.now().toNanos() - start));
        return reply;
    }

    /** Serves the peer's calls until the connection closes; runs in a task of the serving loop. */
    void serve() {
        dispatcher.serve(why -> {
            for (Consumer<Throwable> callback : resetCallbacks) {
                try {
                    callback.accept(why);
                } catch (RuntimeException e) {
                    log.error("Connection-reset callback of {} failed", this, e);
                }
            }
        });
    }

    @Override
    public String toString() {
        return "RpcConnection[" + channel + "]";
    }
}
