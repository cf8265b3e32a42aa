package io.loomas.rpc;

import io.loomas.channel.Channel;
import io.loomas.channel.Request;
import io.loomas.runtime.CancelledException;
import io.loomas.runtime.Clock;
import io.loomas.runtime.Event;
import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Promise;
import io.loomas.runtime.Task;
import io.loomas.runtime.internal.InlineWork;
import io.loomas.runtime.internal.JfrEvents;
import io.loomas.runtime.internal.LogContext;
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
 * The peer's calls on one RPC connection: receives each request, runs it through the router, and
 * replies; at most {@code maxConcurrentCalls} run at once, and beyond that it stops receiving, so
 * the peer's sends wait.
 *
 * <p>On a loop that is no simulation, the task that receives runs each call itself until the call
 * first waits: most calls never do, and answering them costs no thread start and no two hand-offs
 * of the loop. A call that does wait (a scheduling point) keeps the task it started in, and a new
 * task takes over receiving before the call gives up the loop, so it holds up no other call. On a
 * deterministic loop every call runs in a task of its own, as the seeded scheduler chooses among
 * them.
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
    private final Set<Running> calls = Collections.synchronizedSet(new LinkedHashSet<>());
    /** Set when one of the peer's calls ends or the connection closes: serving may go on. */
    private final Event callEnded = new Event();
    /** Whether the receiving task last found the peer's calls at the limit; only that task uses it. */
    private boolean atCallLimit;
    // Set by serve(); used by the receiving tasks, one after the other, on the serving loop.
    private Consumer<Throwable> onReset;
    private boolean inline;
    private String fromPeer; // " from <peer>", for the names of calls
    /** The task receiving the peer's requests now; the next one's set before it can run. */
    private volatile Task<?> receiver;
    /** Whether serving has ended (the calls were cancelled); set by the receiver that ends it. */
    private boolean servingEnded;

    /** A call that runs now: the task it runs in, and a future that completes when it ends. */
    private record Running(Task<?> task, Future<?> ended) {}

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

    /**
     * {@return futures of the peer's calls running now, in the order they came (a call that ran
     * in the receiving task counts from when it first waited); each completes when its call ends}
     */
    List<Future<?>> runningCalls() {
        synchronized (calls) {
            return calls.stream().<Future<?>>map(Running::ended).toList();
        }
    }

    /**
     * Serves the peer's calls until the connection closes; runs in a task of the serving loop. On
     * the way out the calls still running are cancelled and waited for; if the peer (not this
     * side) closed, {@code onReset} is told why first. The calling task returns only then, also
     * when other tasks took over receiving from it meanwhile.
     */
    void serve(Consumer<Throwable> onReset) {
        Loop loop = Loop.current();
        this.onReset = onReset;
        this.inline = !loop.isDeterministic();
        this.fromPeer = " from " + channel.peerAddress();
        receiver = Task.current();
        if (receive(loop)) {
            awaitServed();
        }
    }

    /**
     * Receives the peer's requests and answers them, until the connection closes or a call that
     * this task runs waits.
     *
     * @return {@code true} if another task took over receiving (a call run here waited; it has
     *     ended now); {@code false} if serving has ended and the calls were waited for
     */
    private boolean receive(Loop loop) {
        boolean handedOn = false;
        try {
            while (true) {
                awaitCallSlot();
                Request request;
                try {
                    request = channel.recv();
                } catch (ConnectionClosedException e) {
                    return false;
                }
                if (!inline) {
                    spawnCall(loop, request);
                } else if (runHere(loop, request)) {
                    handedOn = true;
                    return true;
                }
            }
        } finally {
            if (!handedOn) {
                endServing();
            }
        }
    }

    private void spawnCall(Loop loop, Request request) {
        Task<Void> call = loop.spawn(callName(request), () -> {
            Caller.serving(caller(), () -> dispatch(request));
            return null;
        });
        Running running = new Running(call, call);
        calls.add(running);
        call.whenDone(() -> {
            calls.remove(running);
            callEnded.set();
        });
    }

    /**
     * Runs the call in this task; if it waits, a new task takes over receiving just before.
     *
     * @return whether receiving was handed on; the call has ended either way
     * @throws CancelledException if this task was cancelled while the call ran before it waited:
     *     serving ends
     */
    private boolean runHere(Loop loop, Request request) {
        CallHere call = new CallHere(loop);
        String name = callName(request);
        try (LogContext.Scope scope = LogContext.task(loop.name(), name)) {
            InlineWork.run(name, () -> Caller.serving(caller(), () -> dispatch(request)), call);
        } catch (CancelledException e) {
            if (call.running == null) {
                throw e; // this task was cancelled as the receiver: serving ends
            } // else the call was cancelled: the connection closes
        } finally {
            if (call.running != null) {
                calls.remove(call.running);
                call.ended.complete(null);
                callEnded.set();
            }
        }
        return call.running != null;
    }

    /**
     * A call that the receiving task runs itself; run just before the call first gives up the
     * loop, it starts the task that receives from then on, and the call counts as running.
     */
    private final class CallHere implements Runnable {
        private final Loop loop;
        Promise<Void> ended; // completed when the call ends; set when it handed on
        Running running; // null until it handed on

        CallHere(Loop loop) {
            this.loop = loop;
        }

        @Override
        public void run() {
            Task<?> next;
            try {
                next = loop.spawn("rpc calls" + fromPeer, () -> {
                    receive(loop);
                    return null;
                });
            } catch (IllegalStateException closing) { // the loop closes: the call holds up receiving, briefly
                log.debug("{}: a call waits, but the loop takes no new task to receive meanwhile", owner, closing);
                return;
            }
            ended = new Promise<>();
            running = new Running(Task.current(), ended);
            calls.add(running);
            receiver = next;
        }
    }

    /**
     * Waits, in the task that {@link #serve} was called in, until serving has ended, after it
     * handed receiving on. Cancelled meanwhile, it stops the serving (as cancelling the receiving
     * task would) and still waits, then ends cancelled.
     */
    private void awaitServed() {
        CancelledException cancelled = null;
        while (true) {
            Task<?> r = receiver;
            try {
                Future.allSettled(List.of(r)).await();
            } catch (CancelledException e) {
                cancelled = e;
                if (!servingEnded) {
                    r.cancel();
                }
                continue;
            }
            if (receiver == r) {
                break;
            }
        }
        if (!servingEnded) {
            endServing(); // the last receiver was cancelled before it began
        }
        if (cancelled != null) {
            throw cancelled;
        }
    }

    /**
     * Ends serving: replies to the peer's calls can no longer be delivered, so they are stopped and
     * waited for, so that whoever waits for the serving (a server's or container's shutdown) does
     * not return while they still run.
     */
    private void endServing() {
        servingEnded = true;
        List<Running> running;
        synchronized (calls) {
            running = List.copyOf(calls);
        }
        running.forEach(r -> r.task().cancel());
        if (!channel.isClosedByThisSide()) {
            onReset.accept(channel.closeCause());
        }
        // A call's failure went to the peer already: here only its end matters.
        Future.allSettled(running.stream().<Future<?>>map(Running::ended).toList()).await();
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

    private String callName(Request request) {
        return "rpc " + describe(request.content()) + fromPeer;
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
