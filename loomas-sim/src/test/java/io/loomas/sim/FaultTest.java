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
import io.loomas.transport.ConnectionClosedException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each fault class, observed through its effect on unmodified agent code. */
class FaultTest {

    static class Counter extends Agent {
        int count;

        Counter(Container c) {
            super(c);
        }

        @Expose
        int increment() {
            return ++count;
        }

        @Expose
        int slowIncrement() {
            clock().sleep(Duration.ofSeconds(1));
            return ++count;
        }

        @Expose
        String wallClock() {
            return clock().utcNow().toString();
        }
    }

    @Test
    void aCrashLosesStatePeersSeeResetsAndARestartStartsAfresh() {
        try (Simulation sim = Simulation.withSeed(21)) {
            sim.run(() -> {
                Container client = sim.container("client");
                sim.container("server", Counter::new);
                AgentAddress counter = new AgentAddress(sim.containerOf("server").address(), "0");
                Remote r = client.connect(counter);
                assertThat(r.call("increment")).isEqualTo(1);
                assertThat(r.call("increment")).isEqualTo(2);
                Task<Object> inFlight = Loop.current().spawn(() -> r.call("slowIncrement"));
                sim.clock().sleep(Duration.ofMillis(100));
                sim.crash("server");
                assertThatThrownBy(inFlight::await).isInstanceOf(ConnectionClosedException.class)
                        .hasMessageContaining("server crashed");
                assertThat(sim.containerOf("server")).isNull();
                assertThatThrownBy(() -> client.connect(counter, Duration.ZERO)).hasMessageContaining("connection refused");

                sim.restart("server");
                assertThat(client.connect(counter).call("increment")).isEqualTo(1); // the old count is gone
                return null;
            });
        }
    }

    /** An agent that counts ticks of a task of its own. */
    static class Ticker extends Agent {
        int ticks;

        Ticker(Container c) {
            super(c);
            spawn("tick", () -> {
                while (true) {
                    clock().sleep(Duration.ofMillis(10));
                    ticks++;
                }
            });
        }
    }

    /**
     * Regression: an agent created from the main task (as the README does) had tasks that worked
     * for the main task, not for the node, so a pause did not stop them (90 ticks in a 1 s pause).
     */
    @Test
    void aPauseStopsTheTasksOfAgentsCreatedFromTheMainTaskToo() {
        try (Simulation sim = Simulation.withSeed(27)) {
            sim.run(() -> {
                Container b = sim.container("b");
                Ticker ticker = new Ticker(b); // created by the main task, not by the node's setup
                sim.clock().sleep(Duration.ofMillis(105));
                int before = ticker.ticks;
                assertThat(before).isEqualTo(10);
                sim.pause("b", Duration.ofSeconds(1));
                sim.clock().sleep(Duration.ofMillis(995));
                assertThat(ticker.ticks).as("ticks during the pause").isEqualTo(before);
                sim.clock().sleep(Duration.ofMillis(100));
                assertThat(ticker.ticks).as("ticks after it").isGreaterThan(before);
                b.shutdown();
                return null;
            });
        }
    }

    @Test
    void aPausedNodeAnswersOnlyAfterThePause() {
        try (Simulation sim = Simulation.withSeed(25)) {
            sim.network().setLatency(Latency.fixed(Duration.ofMillis(1)));
            sim.run(() -> {
                Container a = sim.container("a");
                sim.container("b", Counter::new);
                Remote r = a.connect(new AgentAddress(sim.containerOf("b").address(), "0"));
                assertThat(r.call("increment")).isEqualTo(1);
                Task<Object> ticking = sim.spawnOn("b", "ticker", () -> {
                    sim.clock().sleep(Duration.ofSeconds(1)); // comes due during the pause
                    return sim.clock().now();
                });
                Duration before = sim.clock().now();
                sim.pause("b", Duration.ofSeconds(10));
                assertThat(r.call("increment")).isEqualTo(2);
                assertThat(sim.clock().now()).isGreaterThanOrEqualTo(before.plusSeconds(10));
                assertThat((Duration) ticking.await()).isGreaterThanOrEqualTo(before.plusSeconds(10));
                return null;
            });
        }
    }

    @Test
    void aCrashCancelsTheNodesOwnTasks() {
        try (Simulation sim = Simulation.withSeed(26)) {
            sim.run(() -> {
                sim.container("b", Counter::new);
                Task<Object> worker = sim.spawnOn("b", "worker", () -> {
                    sim.clock().sleep(Duration.ofHours(1));
                    return "finished";
                });
                Task<Object> bystander = Loop.current().spawn(() -> {
                    sim.clock().sleep(Duration.ofSeconds(2));
                    return "still here";
                });
                sim.clock().sleep(Duration.ofSeconds(1));
                sim.crash("b");
                assertThat(worker.isCancelled()).isTrue();
                assertThat(bystander.await()).isEqualTo("still here");
                return null;
            });
        }
    }

    @Test
    void clockSkewShowsInTheWallClockOnly() {
        try (Simulation sim = Simulation.withSeed(22)) {
            sim.run(() -> {
                Container a = sim.container("a");
                Container b = sim.container("b");
                sim.skewClock("b", Duration.ofMinutes(5), 0.001);
                Instant aNow = a.clock().utcNow();
                assertThat(b.clock().utcNow()).isEqualTo(aNow.plus(Duration.ofMinutes(5)));
                assertThat(b.clock().now()).isEqualTo(a.clock().now()); // monotonic time is shared
                sim.clock().sleep(Duration.ofSeconds(1000));
                assertThat(Duration.between(a.clock().utcNow(), b.clock().utcNow()))
                        .isEqualTo(Duration.ofMinutes(5).plusSeconds(1)); // drifted by 1 ms per second
                return null;
            });
        }
    }

    static String pathTaken() {
        return Buggify.fires("rare-path") ? "rare" : "common";
    }

    @Test
    void aFaultPointFiresOnlyInASimulationAndAsItsSeedDecides() {
        assertThat(pathTaken()).isEqualTo("common"); // not in a task at all
        assertThat(Loop.run(FaultTest::pathTaken)).isEqualTo("common"); // a task, but no simulation
        for (int i = 0; i < 100; i++) {
            assertThat(Loop.run(FaultTest::pathTaken)).isEqualTo("common");
        }

        int seedsWhereItFired = 0;
        for (long seed = 0; seed < 40; seed++) {
            List<String> first = takePath(seed);
            assertThat(takePath(seed)).isEqualTo(first); // the same seed takes the same paths
            if (first.contains("rare")) {
                seedsWhereItFired++;
            }
        }
        assertThat(seedsWhereItFired).isBetween(1, 39);
    }

    private static List<String> takePath(long seed) {
        try (Simulation sim = Simulation.builder().seed(seed).buggify(0.5, 0.5).build()) {
            return sim.run(() -> {
                List<String> paths = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    paths.add(pathTaken());
                }
                return paths;
            });
        }
    }

    @Test
    void theFailureMessageCarriesTheFaultProfile() {
        try (Simulation sim = Simulation.withSeed(23)) {
            sim.network().setLatency(Latency.fixed(Duration.ofMillis(2)));
            assertThatThrownBy(() -> sim.run(() -> {
                sim.network().partition("a", "b");
                throw new IllegalStateException("boom");
            })).hasMessageContaining("faults: latency fixed(PT0.002S), partitioned [a->b, b->a]");
        }
    }

    /**
     * Regression: the message named only the faults still in force at the end, so a partition that
     * healed before the failure, or a link's latency, was not in it.
     */
    @Test
    void theFailureMessageListsEveryFaultOfTheRun() {
        try (Simulation sim = Simulation.withSeed(24)) {
            assertThatThrownBy(() -> sim.run(() -> {
                sim.network().setLatency("a", "b", Latency.fixed(Duration.ofMillis(7)));
                sim.network().partition("a", "b");
                sim.clock().sleep(Duration.ofMillis(50));
                sim.network().heal("a", "b");
                sim.clock().sleep(Duration.ofMillis(50));
                throw new IllegalStateException("boom");
            })).hasMessageContaining("during the run: latency a -> b fixed(PT0.007S) at PT0S, partition a -> b at PT0S,"
                    + " partition b -> a at PT0S, heal a -> b at PT0.05S, heal b -> a at PT0.05S");
        }
    }

    @Test
    void aTraceReadsAsASequenceDiagram() {
        try (Simulation sim = Simulation.withSeed(24)) {
            sim.network().setLatency(Latency.fixed(Duration.ofMillis(1)));
            sim.run(() -> {
                Container a = sim.container("a");
                sim.container("b", Counter::new);
                a.connect(new AgentAddress(sim.containerOf("b").address(), "0")).call("increment");
                sim.network().partition("a", "b");
                return null;
            });
            String diagram = SequenceDiagram.render(sim.trace());
            assertThat(diagram).startsWith("sequenceDiagram\n")
                    .contains("participant a as a", "participant b as b")
                    .contains("a->>b: PT0S [0, 0, [\"validate_aid\", [\"0\"], {}]]")
                    .contains("b->>a: PT0.001S [1, 0, \"Counter\"]")
                    .contains("a->>b: PT0.002S [0, 1, [\"agents/0/increment\", [], {}]]")
                    .contains("fault partition a -> b");
        }
    }

    /** Regression: links were keyed by "from->to" text, so a node named with "->" broke healAll and aliased other links. */
    @Test
    void nodeNamesWithArrowsAreLinksOfTheirOwn() {
        try (Simulation sim = Simulation.withSeed(5)) {
            sim.run(() -> {
                sim.network().partition("a->b", "c");
                assertThat(sim.faultProfile()).contains("partitioned");
                sim.network().healAll();
                assertThat(sim.faultProfile()).doesNotContain("partitioned");
                sim.network().partitionOneWay("a->b", "c");
                sim.network().heal("a", "b->c"); // another link, though its text is the same
                assertThat(sim.faultProfile()).contains("partitioned");
                return null;
            });
        }
    }
}
