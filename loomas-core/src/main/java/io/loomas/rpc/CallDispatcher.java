package io.loomas.rpc;

import io.loomas.channel.Channel;
import io.loomas.channel.Request;
import io.loomas.runtime.CancelledException;
import io.loomas.runtime.Clock;
import io.loomas.runtime.Event;
import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import io.loomas.runtime.internal.JfrEvents;
import io.loomas.runtime.internal.Telemetry;
import io.loomas.transport.ConnectionClosedException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer's calls on one RPC connection: receives each request, runs it as a task of its own
 * through the router, and replies; at most {@code maxConcurrentCalls} run at once, and beyond that
 * it stops receiving, so the peer's sends wait.
 */
final class CallDispatcher {
    private static final Logger log = LoggerFactory.getLogger(RpcConnection.class);

    private final Channel channel;
    private final Router router; // null: this side serves nothing
    private final int maxConcurrentCalls;
    private final List<CallInterceptor> interceptors;
    private volatile Caller caller; // the peer, made at its first call: its address and certificates do not change
    private final Object owner; // for log lines
    // Insertion-ordered: the order of cancellations reaches the schedule (see Server).
    private final Set<Task<Void>> calls = Collections.synchronizedSet(new LinkedHashSet<>());
    /** Set when one of the peer's calls ends or the connection closes: serving may go on. */
    private final Event callEnded = new Event();
    /** Whether the serving task last found the peer's calls at the limit; only that task uses it. */
    private boolean atCallLimit;

    CallDispatcher(Channel channel, Router router, int maxConcurrentCalls, List<CallInterceptor> interceptors, Object owner) {
        this.channel = channel;
        this.interceptors = interceptors;
        this.router = router;
        this.maxConcurrentCalls = maxConcurrentCalls;
        this.owner = owner;
        channel.closed().whenDone(callEnded::set);
    }

    private Caller caller() {
        Caller c = caller;
        if (c == null) {
            c = new Caller(channel.peerAddress(), channel.peerCertificates());
            caller = c;
        }
        return c;
    }

    /** {@return the peer's calls running now, in the order they came} */
    List<Task<Void>> runningCalls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /**
     * Serves the peer's calls until the connection closes; runs in a task of the serving loop. On
     * the way out it cancels the calls still running and waits for them; if the peer (not this
     * side) closed, it first tells {@code onReset} why.
     */
    void serve(Consumer<Throwable> onReset) {
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
                        "rpc " + describe(request.content()) + " from " + channel.peerAddress(), () -> {
                            Caller.serving(caller(), () -> dispatch(request));
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
                onReset.accept(channel.closeCause());
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
            log.debug("{}: {} calls of the peer run, the most allowed; not reading more until one ends", owner,
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
        JfrEvents.RpcCall event = new JfrEvents.RpcCall();
        boolean recording = event.isEnabled();
        boolean measuring = Telemetry.active();
        if (!recording && !measuring) {
            answer(request, null);
            return;
        }
        Answer a = new Answer();
        Clock clock = Loop.current().clock();
        long start = measuring ? clock.now().toNanos() : 0;
        event.begin();
        try {
            answer(request, a);
        } catch (CancelledException e) {
            a.failure = e;
            throw e;
        } finally {
            event.end();
            if (event.shouldCommit()) {
                event.path = a.path;
                event.peer = String.valueOf(channel.peerAddress());
                event.outcome = a.outcome();
                event.commit();
            }
            if (measuring) {
                Telemetry.callServed(a.knownPath(), a.failure, clock.now().toNanos() - start);
            }
        }
    }

    /** How a call was answered, for a recording or the metrics. */
    private final class Answer {
        String path; // null for a malformed request
        boolean resolved; // the router found the path's method
        Throwable failure;
        boolean replyLost; // the method returned, but the connection closed before its reply went out

        String outcome() {
            return failure == null ? "ok" : replyLost ? "reply not sent: connection closed" : failure.getClass().getName();
        }

        /**
         * {@return the path as a metric names it, if the router has it ({@link Router#route}); a
         * meter must not be named by a peer's arbitrary text}
         */
        String knownPath() {
            if (path == null || router == null || failure instanceof NoRouteException) {
                return null;
            }
            return resolved ? router.routeOfResolved(path) : router.route(path);
        }
    }

    /** Runs the call and answers it, recording how in {@code answer} unless it is null. */
    private void answer(Request request, Answer answer) {
        Object content = request.content();
        Object result;
        try {
            if (!(content instanceof List<?> parts) || parts.size() != 3 || !(parts.get(0) instanceof String path)
                    || !(parts.get(1) instanceof List<?> args) || !(parts.get(2) instanceof Map<?, ?> kwargs)) {
                throw new IllegalArgumentException("malformed RPC request: " + abbreviate(content)
                        + " (expected: [path, args, kwargs] with a string, a list and a map)");
            }
            if (answer != null) {
                answer.path = path;
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
            List<Object> positional = (List<Object>) args;
            @SuppressWarnings("unchecked")
            Map<String, Object> named = (Map<String, Object>) kwargs;
            for (CallInterceptor i : interceptors) {
                i.intercept(path, positional, named, Caller.current());
            }
            Endpoint endpoint = router.resolve(path);
            if (answer != null) {
                answer.resolved = true;
            }
            result = endpoint.invoke(positional, named);
        } catch (CancelledException e) {
            failQuietly(request, e);
            throw e;
        } catch (Throwable e) {
            log.debug("Call {} from {} failed", abbreviate(content), channel.peerAddress(), e);
            failQuietly(request, e);
            if (answer != null) {
                answer.failure = e;
            }
            return;
        }
        try {
            request.reply(result);
        } catch (ConnectionClosedException closed) {
            log.debug("Could not send the reply to request {} to {}: {}", request.id(), channel.peerAddress(), closed.getMessage());
            if (answer != null) {
                answer.failure = closed;
                answer.replyLost = true;
            }
        }
    }

    private void failQuietly(Request request, Throwable error) {
        try {
            request.fail(error);
        } catch (ConnectionClosedException closed) {
            log.debug("Could not send the failure of request {} to {}: {}", request.id(), channel.peerAddress(), closed.getMessage());
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
}
