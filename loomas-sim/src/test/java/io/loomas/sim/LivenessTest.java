package io.loomas.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.agent.Agent;
import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.rpc.Expose;
import io.loomas.rpc.Remote;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import io.loomas.transport.Address;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The liveness phase: after the faults end ({@code endFaults}: partitions heal, down nodes come
 * up, paused ones resume, crashed ones restart), {@code eventually} requires progress within a
 * virtual-time bound, and names what did not happen and where every task waits when it fails.
 */
class LivenessTest {

    static final class Counter extends Agent {
        Counter(Container c) {
            super(c);
        }

        @Expose
        int ping() {
            return 1;
        }
    }

    /** A client that keeps calling, reconnecting after each failure, and counts the answers. */
    private static Task<Object> client(Simulation sim, Container c, AtomicInteger answered) {
        AgentAddress server = new AgentAddress(Address.local("server"), "0");
        return Loop.current().spawn(() -> {
            while (true) {
                try {
                    Remote r = c.connect(server).withTimeout(Duration.ofSeconds(1));
                    r.call("ping");
                    answered.incrementAndGet();
                } catch (RuntimeException | java.io.IOException e) {
                    sim.clock().sleep(Duration.ofMillis(100)); // refused, reset or timed out: try again
                }
                sim.clock().sleep(Duration.ofMillis(50));
            }
        });
    }

    private static void chaosThenLiveness(Simulation sim, boolean endFaults) throws Exception {
        sim.container("server", Counter::new);
        Container a = sim.container("a");
        AtomicInteger answered = new AtomicInteger();
        Task<Object> calls = client(sim, a, answered);
        sim.clock().sleep(Duration.ofSeconds(1));
        sim.network().partition("a", "server");
        sim.crash("server");
        sim.pause("a", Duration.ofHours(1));
        sim.clock().sleep(Duration.ofSeconds(5));
        if (endFaults) {
            sim.endFaults();
        }
        int before = answered.get();
        try {
            sim.eventually(Duration.ofSeconds(30), "the client's calls are answered again", () -> answered.get() > before + 3);
        } finally {
            calls.cancel();
        }
    }

    @ParameterizedTest(name = "[seed={0}]")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void afterTheFaultsEndTheClientIsAnsweredAgain(long seed) {
        Simulation.checkDeterminism(seed, sim -> sim.run(() -> {
            chaosThenLiveness(sim, true);
            return null;
        }));
    }

    @ParameterizedTest(name = "[seed={0}]")
    @ValueSource(longs = {1, 2})
    void withTheFaultsInForceTheLivenessCheckFailsNamingWhatAndWhere(long seed) {
        try (Simulation sim = Simulation.withSeed(seed)) {
            assertThatThrownBy(() -> sim.run(() -> {
                chaosThenLiveness(sim, false);
                return null;
            })).isInstanceOf(SimulationException.class)
                    .hasMessageContaining("liveness: the client's calls are answered again did not happen within PT30S")
                    .hasMessageContaining("seed=" + seed)
                    .hasMessageContaining("task '");
        }
    }
}
