package io.loomas.rpc;

import io.loomas.channel.Channel;
import io.loomas.channel.Request;
import io.loomas.runtime.CancelledException;
import io.loomas.runtime.Event;
import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Promise;
import io.loomas.runtime.Task;
import io.loomas.transport.Address;
import io.loomas.transport.ConnectionClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RPC connection, seen from either side: proxies to call the peer's services, and the serving
 * of the peer's calls to the local service tree (both sides may call each other).
 *
 * <pre>{@code
 * try (RpcClient client = Rpc.connect(address, RpcOptions.DEFAULT)) {
 *     MathApi math = client.remote(MathApi.class, "math");
 *     int seven = math.add(3, 4);                       // typed
 *     Object same = client.remote().call("math/add", 3, 4);  // untyped
 * }
 * }</pre>
 *
 * <p>Each incoming call runs in its own task, so a slow method does not hold up the others.
 * Thread-safe.
 */
public final class RpcClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RpcClient.class);

    private final Channel channel;
    private final Router router;
    private final ProxySerializer proxies;
    private final Duration callTimeout;
    private final Remote root;
    private final List<Consumer<Throwable>> resetCallbacks = new CopyOnWriteArrayList<>();
    // Insertion-ordered: the order of cancellations reaches the schedule (see Server).
    private final Set<Task<Void>> calls = Collections.synchronizedSet(new LinkedHashSet<>());
    private volatile Task<?> serving;
    private final Promise<Void> servingDone = new Promise<>();
    private final int maxConcurrentCalls;
    /** Set when one of the peer's calls ends or the connection closes: serving may go on. */
    private final Event callEnded = new Event();
    /** Whether the serving task last found the peer's calls at the limit; only that task uses it. */
    private boolean atCallLimit;

    RpcClient(Channel channel, Router router, RpcOptions options) {
        this.channel = channel;
        this.router = router;
        this.proxies = ProxySerializer.of(channel.codec());
        this.callTimeout = options.callTimeout();
        this.maxConcurrentCalls = options.maxConcurrentCalls();
        channel.closed().whenDone(callEnded::set);
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
        List<Task<?>> ending = new ArrayList<>(runningCalls());
        Task<?> s = serving;
        if (s != null && s != Task.currentOrNull()) {
            ending.add(s);
        }
        // A call's failure was sent to the peer already; cancellation is expected here.
        Future.allSettled(ending).await();
    }

    private List<Task<Void>> runningCalls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
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

    Object call(String path, List<?> args, Map<String, ?> kwargs) {
        List<Object> request = Arrays.asList(path, args, kwargs);
        return callTimeout == null ? channel.send(request) : channel.send(request, callTimeout);
    }

    Future<Object> callAsync(String path, List<?> args, Map<String, ?> kwargs) {
        return channel.request(Arrays.asList(path, new ArrayList<>(args), kwargs));
    }

    /** Serves the peer's calls until the connection closes; runs in a task of the serving loop. */
    void serve() {
        Loop loop = Loop.current();
        try {
            while (true) {
                awaitCallSlot();
                Request request;
                try {
                    request = channel.recv();
                } catch (ConnectionClosedException e) {
                    return;
                }
                Task<Void> call = loop.spawn(
                        "rpc " + describe(request.content()) + " from " + peerAddress(), () -> {
                            dispatch(request);
                            return null;
                        });
                calls.add(call);
                call.whenDone(() -> {
                    calls.remove(call);
                    callEnded.set();
                });
            }
        } finally {
            // Replies to the peer's calls can no longer be delivered: stop them, and wait until they
            // are gone, so that whoever waits for this task (a server's or container's shutdown)
            // does not return while they still run.
            List<Task<Void>> running = runningCalls();
            running.forEach(Task::cancel);
            if (!channel.isClosedByThisSide()) {
                Throwable why = channel.closeCause();
                for (Consumer<Throwable> callback : resetCallbacks) {
                    try {
                        callback.accept(why);
                    } catch (RuntimeException e) {
                        log.error("Connection-reset callback of {} failed", this, e);
                    }
                }
            }
            Future.allSettled(running).await(); // a call's failure went to the peer already
        }
    }

    /**
     * Waits while the peer's calls on this connection are at the limit, or until the connection
     * closes. Meanwhile no request is received: the channel's inbox fills, it stops reading, and
     * the peer's sends wait.
     */
    private void awaitCallSlot() {
        if (calls.size() < maxConcurrentCalls) {
            atCallLimit = false;
            return;
        }
        if (!atCallLimit) { // once per episode: a flooding peer would hit it at every request
            atCallLimit = true;
            log.debug("{}: {} calls of the peer run, the most allowed; not reading more until one ends", this,
                    maxConcurrentCalls);
        }
        while (calls.size() >= maxConcurrentCalls && channel.isOpen()) {
            callEnded.clear();
            if (calls.size() < maxConcurrentCalls || !channel.isOpen()) {
                return;
            }
            callEnded.await();
        }
    }

    private void dispatch(Request request) {
        Object content = request.content();
        Object result;
        try {
            if (!(content instanceof List<?> parts) || parts.size() != 3 || !(parts.get(0) instanceof String path)
                    || !(parts.get(1) instanceof List<?> args) || !(parts.get(2) instanceof Map<?, ?> kwargs)) {
                throw new IllegalArgumentException("malformed RPC request: " + abbreviate(content)
                        + " (expected: [path, args, kwargs] with a string, a list and a map)");
            }
            for (Object name : kwargs.keySet()) {
                if (!(name instanceof String)) { // MsgPack keys keep their types: 7 is no argument name
                    throw new IllegalArgumentException("keyword argument name is not a string: " + name + " (a "
                            + (name == null ? "nil" : name.getClass().getSimpleName()) + ") in a call to "
                            + Router.excerpt(path) + " (expected: names as strings)");
                }
            }
            if (router == null) {
                throw new NoRouteException("Name \"" + Router.excerpt(path)
                        + "\" not found: this side of the connection serves no service");
            }
            @SuppressWarnings("unchecked")
            Object value = router.resolve(path).invoke((List<Object>) args, (Map<String, Object>) kwargs);
            result = value;
        } catch (CancelledException e) {
            failQuietly(request, e);
            throw e;
        } catch (Throwable e) {
            log.debug("Call {} from {} failed", abbreviate(content), peerAddress(), e);
            failQuietly(request, e);
            return;
        }
        try {
            request.reply(result);
        } catch (ConnectionClosedException closed) {
            log.debug("Could not send the reply to request {} to {}: {}", request.id(), peerAddress(), closed.getMessage());
        }
    }

    private void failQuietly(Request request, Throwable error) {
        try {
            request.fail(error);
        } catch (ConnectionClosedException closed) {
            log.debug("Could not send the failure of request {} to {}: {}", request.id(), peerAddress(), closed.getMessage());
        }
    }

    private static String describe(Object content) {
        return content instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof String s ? Router.excerpt(s) : "request";
    }

    private static String abbreviate(Object content) {
        if (content instanceof List<?> l && l.size() == 3 && l.get(0) instanceof String path) {
            return "[" + Router.excerpt(path) + ", ...]"; // not the whole of a large request
        }
        return Router.excerpt(String.valueOf(content));
    }

    @Override
    public String toString() {
        return "RpcClient[" + channel + "]";
    }
}
