package io.loomas.micrometer;

import io.loomas.runtime.CancelledException;
import io.loomas.runtime.internal.Telemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * loomas' metrics in a Micrometer {@link MeterRegistry}: the RPC calls this JVM serves and makes
 * (counts, failures, latency histograms), its connections, and the depths of its queues.
 *
 * {@snippet class="io.loomas.micrometer.MetricsSnippets" region="bind"}
 *
 * <table>
 * <caption>The meters</caption>
 * <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 * <tr><td>{@code loomas.rpc.server.calls}</td><td>timer</td><td>path, outcome, exception</td>
 *     <td>calls served, from dispatch to answer</td></tr>
 * <tr><td>{@code loomas.rpc.client.calls}</td><td>timer</td><td>path, outcome, exception</td>
 *     <td>calls made, from request to reply</td></tr>
 * <tr><td>{@code loomas.connections.opened}</td><td>counter</td><td>side</td><td>channels started</td></tr>
 * <tr><td>{@code loomas.connections.closed}</td><td>counter</td><td>side, reason, exception</td>
 *     <td>channels ended</td></tr>
 * <tr><td>{@code loomas.connections.open}</td><td>gauge</td><td>side</td><td>channels open now</td></tr>
 * <tr><td>{@code loomas.channel.requests.queued}</td><td>gauge</td><td>side</td>
 *     <td>the peers' requests received and not yet taken</td></tr>
 * <tr><td>{@code loomas.channel.calls.pending}</td><td>gauge</td><td>side</td>
 *     <td>this side's requests waiting for replies</td></tr>
 * <tr><td>{@code loomas.loop.tasks.ready}</td><td>gauge</td><td>loop</td><td>tasks waiting for their loop</td></tr>
 * <tr><td>{@code loomas.loop.tasks.live}</td><td>gauge</td><td>loop</td><td>tasks not finished</td></tr>
 * </table>
 *
 * <p>{@code outcome} is {@code ok}, {@code error} or {@code cancelled}; {@code exception} the
 * failure's simple class name ({@code none} for ok). A served call's {@code path} is the exposed
 * method's, or {@code UNKNOWN} where the request named none that exists: what a peer sends does not
 * name meters. A name that picks a service out of a service map (an agent's id in
 * {@code agents/<id>/method}, on both sides) is {@code *}: one meter serves every agent. {@code side} is {@code server} for channels a server accepted and {@code client}
 * for those this side dialed; a closed channel's {@code reason} is {@code local}, {@code peer} or
 * {@code error}. Times are read on the loop's clock, so in a simulation they are virtual.
 *
 * <p>Bind before the loops and connections to be measured start: those already running are not
 * seen. One instance binds one registry (a {@code CompositeMeterRegistry} feeds several);
 * {@link #close()} stops it and removes its meters. Thread-safe.
 */
public final class LoomasMetrics implements MeterBinder, AutoCloseable {
    private final Tags extraTags;
    private final boolean histograms;
    private final Sink sink = new Sink();
    private volatile MeterRegistry registry;
    private final Set<Meter> meters = new LinkedHashSet<>(); // guarded by this
    private final Map<CallKey, Timer> served = new ConcurrentHashMap<>();
    private final Map<CallKey, Timer> made = new ConcurrentHashMap<>();
    private final Set<Telemetry.ChannelView> channels = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<Telemetry.LoopView>> loops = new HashMap<>(); // guarded by this
    private final Map<String, List<Meter>> loopMeters = new HashMap<>(); // guarded by this

    private record CallKey(String path, Class<?> failure) {}

    /** Metrics with latency histograms (percentile buckets) and no extra tags. */
    public LoomasMetrics() {
        this(Tags.empty(), true);
    }

    /**
     * Metrics with {@code extraTags} on every meter.
     *
     * @param histograms whether the call timers publish percentile histograms (buckets a backend
     *     such as Prometheus aggregates across instances)
     */
    public LoomasMetrics(Iterable<io.micrometer.core.instrument.Tag> extraTags, boolean histograms) {
        this.extraTags = Tags.of(Objects.requireNonNull(extraTags, "extraTags"));
        this.histograms = histograms;
    }

    /**
     * Starts measuring into {@code registry}.
     *
     * @throws IllegalStateException if this instance is bound already
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (this.registry != null) {
            throw new IllegalStateException("LoomasMetrics is bound to a registry already (expected: one instance per"
                    + " registry, or a CompositeMeterRegistry)");
        }
        this.registry = registry;
        for (String side : List.of("server", "client")) {
            boolean accepted = side.equals("server");
            meters.add(gauge("loomas.connections.open", "channels open now", side, accepted, v -> 1));
            meters.add(gauge("loomas.channel.requests.queued", "the peers' requests received and not yet taken", side,
                    accepted, Telemetry.ChannelView::queuedRequests));
            meters.add(gauge("loomas.channel.calls.pending", "this side's requests waiting for their replies", side,
                    accepted, Telemetry.ChannelView::pendingCalls));
        }
        Telemetry.add(sink);
    }

    private Gauge gauge(String name, String description, String side, boolean accepted,
            ToIntFunction<Telemetry.ChannelView> value) {
        return Gauge.builder(name, channels, all -> {
            long sum = 0;
            for (Telemetry.ChannelView c : all) {
                if (c.accepted() == accepted) {
                    sum += value.applyAsInt(c);
                }
            }
            return sum;
        }).description(description).tags(extraTags).tag("side", side).register(registry);
    }

    /** Stops measuring and removes this instance's meters from its registry. */
    @Override
    public synchronized void close() {
        Telemetry.remove(sink);
        MeterRegistry r = registry;
        if (r == null) {
            return;
        }
        meters.forEach(r::remove);
        served.values().forEach(r::remove);
        made.values().forEach(r::remove);
        loopMeters.values().forEach(list -> list.forEach(r::remove));
        meters.clear();
        served.clear();
        made.clear();
        loopMeters.clear();
        loops.clear();
        channels.clear();
    }

    private Timer timer(Map<CallKey, Timer> cache, String name, String description, String path, Throwable failure) {
        CallKey key = new CallKey(path, failure == null ? null : failure.getClass());
        Timer t = cache.get(key);
        if (t != null) {
            return t;
        }
        synchronized (this) {
            return cache.computeIfAbsent(key, k -> {
                Timer.Builder b = Timer.builder(name).description(description).tags(extraTags)
                        .tag("path", path == null ? "UNKNOWN" : path)
                        .tag("outcome", failure == null ? "ok" : failure instanceof CancelledException ? "cancelled" : "error")
                        .tag("exception", failure == null ? "none" : failure.getClass().getSimpleName());
                if (histograms) {
                    b.publishPercentileHistogram();
                }
                return b.register(registry);
            });
        }
    }

    private Counter counter(String name, String description, Tags tags) {
        synchronized (this) {
            Counter c = Counter.builder(name).description(description).tags(extraTags).tags(tags).register(registry);
            if (!meters.contains(c)) {
                meters.add(c);
            }
            return c;
        }
    }

    private static String side(Telemetry.ChannelView channel) {
        return channel.accepted() ? "server" : "client";
    }

    /** What loomas reports, turned into meters. */
    private final class Sink implements Telemetry.Sink {
        @Override
        public void callServed(String path, Throwable failure, long nanos) {
            timer(served, "loomas.rpc.server.calls", "RPC calls served, from dispatch to answer", path, failure)
                    .record(nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void callMade(String path, Throwable failure, long nanos) {
            timer(made, "loomas.rpc.client.calls", "RPC calls made, from request to reply", clientRoute(path), failure)
                    .record(nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void channelOpened(Telemetry.ChannelView channel) {
            channels.add(channel);
            counter("loomas.connections.opened", "channels started", Tags.of("side", side(channel))).increment();
        }

        @Override
        public void channelClosed(Telemetry.ChannelView channel, boolean byThisSide, Throwable cause) {
            if (!channels.remove(channel)) {
                return; // opened before this instance listened
            }
            String reason = cause != null ? "error" : byThisSide ? "local" : "peer";
            counter("loomas.connections.closed", "channels ended", Tags.of("side", side(channel), "reason", reason,
                    "exception", cause == null ? "none" : cause.getClass().getSimpleName())).increment();
        }

        @Override
        public void loopCreated(Telemetry.LoopView loop) {
            synchronized (LoomasMetrics.this) {
                if (registry == null) {
                    return;
                }
                Set<Telemetry.LoopView> named = loops.computeIfAbsent(loop.name(), n -> ConcurrentHashMap.newKeySet());
                named.add(loop);
                if (named.size() == 1) { // loops of one name share their gauges
                    Tags tags = extraTags.and("loop", loop.name());
                    loopMeters.put(loop.name(), List.of(
                            Gauge.builder("loomas.loop.tasks.ready", named, all -> sum(all, Telemetry.LoopView::readyTasks))
                                    .description("tasks waiting for their loop").tags(tags).register(registry),
                            Gauge.builder("loomas.loop.tasks.live", named, all -> sum(all, Telemetry.LoopView::liveTasks))
                                    .description("tasks not finished").tags(tags).register(registry)));
                }
            }
        }

        @Override
        public void loopClosed(Telemetry.LoopView loop) {
            synchronized (LoomasMetrics.this) {
                Set<Telemetry.LoopView> named = loops.get(loop.name());
                if (named == null || !named.remove(loop) || !named.isEmpty()) {
                    return;
                }
                loops.remove(loop.name());
                List<Meter> gone = loopMeters.remove(loop.name());
                if (gone != null && registry != null) {
                    gone.forEach(registry::remove);
                }
            }
        }
    }

    /** {@return {@code path} with the agent's id of {@code agents/<id>/...} as {@code *}: one meter serves every agent} */
    static String clientRoute(String path) {
        if (!path.startsWith("agents/")) {
            return path;
        }
        int end = path.indexOf('/', "agents/".length());
        return end < 0 ? path : "agents/*" + path.substring(end);
    }

    private static double sum(Set<Telemetry.LoopView> loops, ToIntFunction<Telemetry.LoopView> value) {
        long sum = 0;
        for (Telemetry.LoopView l : loops) {
            sum += value.applyAsInt(l);
        }
        return sum;
    }
}
