package io.loomas.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Promise;
import io.loomas.testing.TransportCase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A peer that calls faster than it is served: at most {@code maxConcurrentCalls} of its calls run
 * at once on its connection, the rest wait unread (so the peer slows down), and other clients are
 * still answered within a second. Regression: each request became a task at once, and one client
 * could make a server run (and keep in memory) any number of them.
 */
class CallLimitTest {
    private static final int LIMIT = 50;
    private static final int CALLS = 3000;

    /** Holds every call until released, counting how many run at once. */
    public static class Holder {
        final Promise<Void> release = new Promise<>();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        /** Completes once {@link #limit} calls run at once. */
        final Promise<Void> limitReached = new Promise<>();
        volatile int limit = Integer.MAX_VALUE;

        @Expose
        int hold(int n) {
            int now = running.incrementAndGet();
            mostAtOnce.accumulateAndGet(now, Math::max);
            if (now >= limit) {
                limitReached.complete(null);
            }
            try {
                release.await();
            } finally {
                running.decrementAndGet();
            }
            return n;
        }

        @Expose
        String ping() {
            return "pong";
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void atMostTheLimitOfAPeersCallsRunAndOthersAreStillServed(TransportCase t) {
        Holder holder = new Holder();
        holder.limit = LIMIT;
        RpcOptions options = RpcOptions.DEFAULT.withChannelOptions(t.options()).withMaxConcurrentCalls(LIMIT);
        Loop.run(() -> {
            RpcServer server = Rpc.startServer(t.freshAddress(), holder, options);
            try (RpcConnection flooding = Rpc.connect(server.address(), options);
                    RpcConnection polite = Rpc.connect(server.address(), options)) {
                List<Future<Object>> calls = new ArrayList<>();
                for (int i = 0; i < CALLS; i++) {
                    calls.add(flooding.remote().callAsync("hold", i));
                }
                for (int round = 0; round < 5; round++) {
                    long start = System.nanoTime();
                    assertThat(polite.remote().call("ping")).isEqualTo("pong");
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
                }
                // The pings say nothing of how far the server got with the flood: wait for the limit.
                holder.limitReached.await();
                assertThat(holder.running.get()).as("calls of the flooding client running").isEqualTo(LIMIT);
                assertThat(Loop.current().tasks().size()).as("tasks of the loop").isLessThan(LIMIT + 10);
                holder.release.complete(null);
                for (int i = 0; i < CALLS; i++) {
                    assertThat(calls.get(i).await()).isEqualTo(i);
                }
                assertThat(holder.mostAtOnce.get()).isEqualTo(LIMIT);
            } finally {
                holder.release.complete(null);
                server.close();
                server.awaitClosed();
            }
            return null;
        });
    }

    /** Closing a connection whose calls are at the limit still ends its serving task (it does not wait for a slot). */
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aConnectionAtTheLimitStillShutsDown(TransportCase t) {
        Holder holder = new Holder();
        RpcOptions options = RpcOptions.DEFAULT.withChannelOptions(t.options()).withMaxConcurrentCalls(2);
        Loop.run(() -> {
            RpcServer server = Rpc.startServer(t.freshAddress(), holder, options);
            RpcConnection client = Rpc.connect(server.address(), options);
            List<Future<Object>> calls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                calls.add(client.remote().callAsync("hold", i));
            }
            while (holder.running.get() < 2) {
                Loop.yieldNow();
            }
            server.close();
            server.awaitClosed(); // the held calls are cancelled, the serving task ends
            client.close();
            for (Future<Object> call : calls) {
                assertThatThrownBy(call::await).isInstanceOf(RuntimeException.class);
            }
            return null;
        });
    }

    /**
     * Regression: a call with a 10 MB path peaked at 408 MiB of heap, because the failure text, the
     * task name and the log line each quoted the whole path. They quote 200 characters now.
     */
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void errorsQuoteAtMost200CharactersOfAPeersPath(TransportCase t) {
        Holder holder = new Holder();
        RpcOptions options = RpcOptions.DEFAULT.withChannelOptions(t.options());
        Loop.run(() -> {
            RpcServer server = Rpc.startServer(t.freshAddress(), holder, options);
            try (RpcConnection client = Rpc.connect(server.address(), options)) {
                for (String path : List.of("n".repeat(1_000_000), "a/".repeat(500_000) + "b", "x".repeat(1_000_000) + "/ping")) {
                    assertThatThrownBy(() -> client.channel().send(List.of(path, List.of(), java.util.Map.of())))
                            .isInstanceOf(io.loomas.channel.RemoteException.class)
                            .hasMessageContaining(path.startsWith("a/") ? "Name \"a\" not found" : "characters)")
                            .satisfies(e -> assertThat(e.getMessage().length())
                                    .as("the failure's text for a path of %d characters", path.length())
                                    .isLessThan(5000));
                }
                assertThat(client.remote().call("ping")).isEqualTo("pong");
            } finally {
                server.close();
                server.awaitClosed();
            }
            return null;
        });
    }

    @org.junit.jupiter.api.Test
    void theLimitMustBePositive() {
        assertThatThrownBy(() -> RpcOptions.DEFAULT.withMaxConcurrentCalls(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxConcurrentCalls must be positive: 0 (expected: > 0)");
        assertThat(RpcOptions.DEFAULT.maxConcurrentCalls()).isEqualTo(1000);
    }
}
