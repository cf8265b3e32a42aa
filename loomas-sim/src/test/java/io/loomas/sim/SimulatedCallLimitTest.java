package io.loomas.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.agent.Agent;
import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.agent.ContainerOptions;
import io.loomas.channel.ChannelOptions;
import io.loomas.rpc.Expose;
import io.loomas.rpc.Remote;
import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Promise;
import io.loomas.transport.Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The limit of concurrent incoming calls on the simulated network: the serving side stops
 * receiving, its channel's inbox fills and pauses the connection, and the flooding peer waits in
 * send, while another container is still answered at once.
 */
class SimulatedCallLimitTest {
    private static final int LIMIT = 20;

    static class Holder extends Agent {
        Promise<Void> release = new Promise<>();
        final AtomicInteger running = new AtomicInteger();

        Holder(Container c) {
            super(c);
        }

        @Expose
        int hold(int n, String padding) {
            running.incrementAndGet();
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

    @ParameterizedTest(name = "[seed={0}]")
    @ValueSource(longs = {1, 2, 3, 4})
    void aFloodingPeerWaitsAndOthersAreAnswered(long seed) {
        try (Simulation sim = Simulation.withSeed(seed)) {
            sim.run(() -> {
                Container server = Container.create(Address.local("server"),
                        sim.containerOptions("server").withMaxConcurrentCalls(LIMIT));
                Holder holder = new Holder(server);
                AgentAddress at = new AgentAddress(server.address(), holder.id());
                ContainerOptions small = sim.containerOptions("flooding");
                ChannelOptions channel = small.channelOptions();
                Container flooding = Container.create(Address.local("flooding"), small.withChannelOptions(
                        channel.withTransportOptions(channel.transportOptions().withWriteBufferSize(64 << 10))));
                Container polite = sim.container("polite");
                Remote r = flooding.connect(at);
                AtomicInteger sent = new AtomicInteger();
                List<Future<Object>> calls = new ArrayList<>();
                Loop.current().spawn("flood", () -> {
                    for (int i = 0; i < 20_000; i++) {
                        calls.add(r.callAsync("hold", i, "x".repeat(200)));
                        sent.incrementAndGet();
                    }
                    return null;
                });
                sim.clock().sleep(Duration.ofSeconds(10));
                assertThat(holder.running.get()).isEqualTo(LIMIT);
                assertThat(Loop.current().tasks().size()).as("tasks").isLessThan(LIMIT + 20);
                // The calls running, the server's inbox (1000) and a write buffer of ~240-byte requests (~270).
                assertThat(sent.get()).as("requests sent while the server does not receive").isBetween(1000, 1400);
                Duration before = sim.clock().now();
                assertThat(polite.connect(at).call("ping")).isEqualTo("pong");
                assertThat(sim.clock().now().minus(before)).isLessThan(Duration.ofSeconds(1));
                holder.release.complete(null);
                while (sent.get() < 20_000) {
                    sim.clock().sleep(Duration.ofMillis(100));
                }
                for (int i = 0; i < calls.size(); i++) {
                    assertThat(calls.get(i).await()).isEqualTo(i);
                }
                server.shutdown();
                flooding.shutdown();
                return null;
            });
        }
    }
}
