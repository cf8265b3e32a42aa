package io.loomas.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.agent.Agent;
import io.loomas.agent.Container;
import io.loomas.channel.Channel;
import io.loomas.channel.ChannelOptions;
import io.loomas.channel.Channels;
import io.loomas.channel.RemoteException;
import io.loomas.channel.Server;
import io.loomas.rpc.Expose;
import io.loomas.rpc.Remote;
import io.loomas.rpc.Rpc;
import io.loomas.rpc.RpcConnection;
import io.loomas.rpc.RpcOptions;
import io.loomas.rpc.RpcServer;
import io.loomas.runtime.Clock;
import io.loomas.runtime.Event;
import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.LoopOptions;
import io.loomas.runtime.Task;
import io.loomas.runtime.TimeoutException;
import io.loomas.sim.Latency;
import io.loomas.sim.Simulation;
import io.loomas.testing.TransportCase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the meters count, over every transport, with failing, refused, cancelled and hostile calls. */
class LoomasMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private LoomasMetrics metrics;

    @BeforeEach
    void bind() {
        metrics = new LoomasMetrics();
        metrics.bindTo(registry);
    }

    @AfterEach
    void unbind() {
        metrics.close();
    }

    static class Calculator {
        @Expose
        int add(int a, int b) {
            return a + b;
        }

        @Expose
        int divide(int a, int b) {
            return a / b;
        }

        @Expose
        String slow() {
            Loop.current().clock().sleep(Duration.ofSeconds(30));
            return "late";
        }

        @Expose
        String secret() {
            return "nobody may see this";
        }
    }

    private Timer served(String path, String outcome, String exception) {
        return registry.find("loomas.rpc.server.calls").tags("path", path, "outcome", outcome, "exception", exception)
                .timer();
    }

    private Timer made(String path, String outcome, String exception) {
        return registry.find("loomas.rpc.client.calls").tags("path", path, "outcome", outcome, "exception", exception)
                .timer();
    }

    private double counted(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    private double gauge(String name, String... tags) {
        Gauge g = registry.find(name).tags(tags).gauge();
        return g == null ? Double.NaN : g.value();
    }

    /** Waits on the loop's clock (a scheduling point) until {@code value} reads {@code expected}, at most 10 s. */
    private static void awaitValue(String what, DoubleSupplier value, double expected) {
        Clock clock = Loop.current().clock();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (value.getAsDouble() != expected) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what + " is " + value.getAsDouble() + ", not " + expected + ", after 10 s");
            }
            clock.sleep(Duration.ofMillis(1));
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void callsServedAndMadeAreTimedByPathOutcomeAndException(TransportCase t) {
        Loop.run(() -> {
            RpcOptions serverOptions = RpcOptions.DEFAULT.withChannelOptions(t.options())
                    .withInterceptor((path, args, kwargs, caller) -> {
                        if (path.equals("secret") || path.equals("no/such/method")) {
                            throw new SecurityException("not for you");
                        }
                    });
            RpcServer server = Rpc.startServer(t.freshAddress(), new Calculator(), serverOptions);
            try (RpcConnection client = Rpc.connect(server.address(), RpcOptions.DEFAULT.withChannelOptions(t.options()))) {
                for (int i = 0; i < 5; i++) {
                    assertThat(client.remote().call("add", i, 1)).isEqualTo(i + 1);
                }
                assertThatThrownBy(() -> client.remote().call("divide", 1, 0)).isInstanceOf(RemoteException.class);
                assertThatThrownBy(() -> client.remote().call("secret")).hasMessageContaining("not for you");
                assertThatThrownBy(() -> client.remote().call("nope")).isInstanceOf(RemoteException.class);
                assertThatThrownBy(() -> client.remote().call("no/such/method")).hasMessageContaining("not for you");
                assertThatThrownBy(() -> client.remote().withTimeout(Duration.ofMillis(50)).call("slow"))
                        .isInstanceOf(TimeoutException.class);
            } finally {
                server.close();
                server.awaitClosed(); // the slow call is cancelled when its connection goes
            }
            return null;
        });
        assertThat(served("add", "ok", "none").count()).isEqualTo(5);
        assertThat(served("add", "ok", "none").totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(served("divide", "error", "ArithmeticException").count()).isEqualTo(1);
        assertThat(served("secret", "error", "SecurityException").count()).isEqualTo(1);
        // Paths that exist nowhere are one meter, whatever a peer sends, refused or not.
        assertThat(served("UNKNOWN", "error", "NoRouteException").count()).isEqualTo(1);
        assertThat(served("UNKNOWN", "error", "SecurityException").count()).isEqualTo(1);
        assertThat(registry.find("loomas.rpc.server.calls").tag("path", "nope").timer()).isNull();
        assertThat(served("slow", "cancelled", "CancelledException").count()).isEqualTo(1);

        assertThat(made("add", "ok", "none").count()).isEqualTo(5);
        assertThat(made("divide", "error", "RemoteException").count()).isEqualTo(1);
        assertThat(made("nope", "error", "RemoteException").count()).isEqualTo(1);
        assertThat(made("slow", "error", "TimeoutException").count()).isEqualTo(1);
        assertThat(made("slow", "error", "TimeoutException").totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(50);

        assertThat(counted("loomas.connections.opened", "side", "server")).isEqualTo(1);
        assertThat(counted("loomas.connections.opened", "side", "client")).isEqualTo(1);
        assertThat(counted("loomas.connections.closed", "side", "client", "reason", "local")).isEqualTo(1);
        assertThat(counted("loomas.connections.closed", "side", "server", "reason", "peer")
                + counted("loomas.connections.closed", "side", "server", "reason", "local")).isEqualTo(1);
        assertThat(gauge("loomas.connections.open", "side", "server")).isZero();
        assertThat(gauge("loomas.connections.open", "side", "client")).isZero();
    }

    @Test
    void aCallMadeAsynchronouslyIsTimedWhenItsReplyComes() {
        Loop.run(() -> {
            RpcServer server = Rpc.startServer(TransportCase.freshAddress("tcp"), new Calculator(), RpcOptions.DEFAULT);
            try (RpcConnection client = Rpc.connect(server.address(), RpcOptions.DEFAULT)) {
                List<Future<Object>> calls = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    calls.add(client.remote().callAsync("add", i, i));
                }
                Future<Object> slow = client.remote().callAsync("slow");
                Future.all(calls).await();
                slow.cancel();
            } finally {
                server.close();
                server.awaitClosed();
            }
            return null;
        });
        assertThat(made("add", "ok", "none").count()).isEqualTo(10);
        assertThat(made("slow", "cancelled", "CancelledException").count()).isEqualTo(1);
    }

    @Test
    void gaugesShowConnectionsQueuedRequestsPendingCallsAndTasks() {
        Loop.run(LoopOptions.DEFAULT.withName("gauged"), () -> {
            Event release = new Event();
            List<Channel> accepted = new ArrayList<>();
            // A server that takes no request until released: requests queue in its channels.
            Server server = Channels.startServer(TransportCase.freshAddress("tcp"), channel -> {
                accepted.add(channel);
                release.await();
                channel.recv().reply("late");
            }, ChannelOptions.DEFAULT);
            List<Task<Void>> waiting = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                waiting.add(Loop.current().spawn("waiter " + i, () -> {
                    release.await();
                    return null;
                }));
            }
            Channel a = Channels.connect(server.address(), ChannelOptions.DEFAULT);
            Channel b = Channels.connect(server.address(), ChannelOptions.DEFAULT);
            List<Future<Object>> replies = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                replies.add(a.request("a" + i));
            }
            replies.add(b.request("b"));
            awaitValue("open server connections", () -> gauge("loomas.connections.open", "side", "server"), 2);
            assertThat(gauge("loomas.connections.open", "side", "client")).isEqualTo(2);
            awaitValue("queued requests", () -> gauge("loomas.channel.requests.queued", "side", "server"), 4);
            // A connection counts as open once admitted, when its handler task is spawned; the
            // handler is ready until it first runs, so wait until both have run up to their wait.
            awaitValue("handlers waiting", accepted::size, 2);
            assertThat(gauge("loomas.channel.calls.pending", "side", "client")).isEqualTo(4);
            // main, 7 waiters, the server's two handlers; none is ready while main looks
            assertThat(gauge("loomas.loop.tasks.live", "loop", "gauged")).isEqualTo(10);
            assertThat(gauge("loomas.loop.tasks.ready", "loop", "gauged")).isZero();
            release.set();
            assertThat(gauge("loomas.loop.tasks.ready", "loop", "gauged")).isEqualTo(9); // all woken, main still runs
            Future.all(waiting).await();
            assertThat(replies.get(0).await()).isEqualTo("late");
            assertThat(replies.get(3).await()).isEqualTo("late");
            a.close();
            b.close();
            server.close();
            server.awaitClosed();
            assertThat(gauge("loomas.channel.calls.pending", "side", "client")).isZero();
            return null;
        });
        assertThat(gauge("loomas.connections.open", "side", "server")).isZero();
        assertThat(registry.find("loomas.loop.tasks.live").tag("loop", "gauged").gauge())
                .as("a closed loop's gauges are removed").isNull();
    }

    @Test
    void aPeerThatSendsGarbageIsAConnectionClosedWithAnError() {
        Loop.run(() -> {
            RpcServer server = Rpc.startServer(TransportCase.freshAddress("tcp"), new Calculator(), RpcOptions.DEFAULT);
            var tcp = (io.loomas.transport.Address.Tcp) server.address();
            Loop.current().offload(() -> {
                try (Socket s = new Socket(tcp.host(), tcp.port())) {
                    OutputStream out = s.getOutputStream();
                    out.write(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}); // a 2 GiB frame
                    out.flush();
                    s.getInputStream().read(); // until the server closes
                }
                return null;
            }).await();
            awaitValue("connections closed with an error", () -> counted("loomas.connections.closed", "side", "server",
                    "reason", "error", "exception", "ProtocolException"), 1);
            server.close();
            server.awaitClosed();
            return null;
        });
    }

    /** An agent whose call takes 300 ms of the simulation's virtual time. */
    static class Slow extends Agent {
        Slow(Container c) {
            super(c);
        }

        @Expose
        String nap() {
            clock().sleep(Duration.ofMillis(300));
            return "rested";
        }
    }

    @Test
    void inASimulationTimesAreVirtualAndTheRunStaysTheSame() {
        Consumer<Simulation> scenario = sim -> sim.run(() -> {
            sim.network().setLatency(Latency.fixed(Duration.ofMillis(10)));
            Slow slow = new Slow(sim.container("server"));
            Remote remote = sim.container("client").connect(slow.address());
            return remote.call("nap");
        });
        try (Simulation sim = Simulation.withSeed(7)) {
            scenario.accept(sim);
        }
        // 300 ms in the method; the client also waits for the request and reply to cross the links
        assertThat(served("agents/*/nap", "ok", "none").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(300);
        assertThat(made("agents/*/nap", "ok", "none").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(320);
        for (long seed = 1; seed <= 8; seed++) {
            Simulation.checkDeterminism(seed, scenario); // measured, the run is the same byte for byte
        }
    }

    @Test
    void closedMetricsHearNothingAndLeaveNoMeters() {
        metrics.close();
        callAddOnce();
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void extraTagsGoOnEveryMeterAndAnInstanceBindsOneRegistry() {
        metrics.close();
        try (LoomasMetrics tagged = new LoomasMetrics(Tags.of("app", "orders"), false)) {
            tagged.bindTo(registry);
            assertThatThrownBy(() -> tagged.bindTo(new SimpleMeterRegistry()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("CompositeMeterRegistry");
            callAddOnce();
            assertThat(registry.getMeters()).isNotEmpty()
                    .allSatisfy(m -> assertThat(m.getId().getTag("app")).isEqualTo("orders"));
        }
    }

    /** Calls add on a fresh server once, with whatever metrics are bound. */
    private static void callAddOnce() {
        Loop.run(() -> {
            RpcServer server = Rpc.startServer(TransportCase.freshAddress("tcp"), new Calculator(), RpcOptions.DEFAULT);
            try (RpcConnection client = Rpc.connect(server.address(), RpcOptions.DEFAULT)) {
                client.remote().call("add", 1, 2);
            } finally {
                server.close();
                server.awaitClosed();
            }
            return null;
        });
    }

    @Test
    void aPrometheusScrapeHasTheLatencyBucketsUnlessHistogramsAreOff() {
        metrics.close();
        for (boolean histograms : List.of(true, false)) {
            PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            try (LoomasMetrics m = new LoomasMetrics(Tags.empty(), histograms)) {
                m.bindTo(prometheus);
                callAddOnce();
                String scrape = prometheus.scrape();
                assertThat(scrape).contains("loomas_rpc_server_calls_seconds_count{exception=\"none\",outcome=\"ok\",path=\"add\"} 1");
                if (histograms) {
                    assertThat(scrape).contains("loomas_rpc_server_calls_seconds_bucket{exception=\"none\",outcome=\"ok\",path=\"add\",le=");
                } else {
                    assertThat(scrape).doesNotContain("_bucket");
                }
            }
        }
    }
}
