package io.loomas.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.agent.Agent;
import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.rpc.Expose;
import io.loomas.rpc.Remote;
import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import io.loomas.runtime.internal.OpenResources;
import io.loomas.testing.CallOutcomes;
import io.loomas.transport.Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The channel stress test of loomas-core, on the simulated network and through agents: many
 * agents per container, callers with random call timeouts and random cancellations, abandoned
 * futures, slow answers, and a flaky container that is partitioned, reset and paused under its
 * callers. Every call must end as a result, a timeout, a cancellation, a closed connection or a
 * refused connect; every call of the well-behaved callers to the steady container must succeed;
 * once the containers shut down no task or resource is left; and a seed replays the whole run
 * event for event. Bounded: 300 calls per seed. {@code -Dloomas.stress.seed=N} adds seed N.
 */
@Timeout(60)
class SimulatedCallStressTest {
    private static final int CALLS = 300;
    private static final int AGENTS = 4;

    static LongStream seeds() {
        Long extra = Long.getLong("loomas.stress.seed");
        return extra != null ? LongStream.of(extra) : LongStream.rangeClosed(1, 6);
    }

    static class Worker extends Agent {
        Worker(Container c) {
            super(c);
        }

        @Expose
        int work(int n, int delayMillis) {
            clock().sleep(Duration.ofMillis(delayMillis));
            return n;
        }
    }

    static void workers(Container c) {
        for (int i = 0; i < AGENTS; i++) {
            new Worker(c);
        }
    }

    static AgentAddress agent(String node, int i) {
        return new AgentAddress(Address.local(node), String.valueOf(i));
    }

    /** One stressed run; {@return how many calls ended which way} */
    static Map<String, Integer> stress(Simulation sim) {
        return sim.run(() -> {
            Loop loop = Loop.current();
            RandomGenerator random = sim.random("stress");
            sim.container("steady", SimulatedCallStressTest::workers);
            sim.container("flaky", SimulatedCallStressTest::workers);
            Container client = sim.container("client");
            Container impatient = Container.create(Address.local("impatient"),
                    sim.containerOptions("impatient").withCallTimeout(Duration.ofMillis(20)));
            List<Task<Object>> good = new ArrayList<>();
            List<Task<Object>> others = new ArrayList<>();
            List<Task<?>> helpers = new ArrayList<>();
            Task<Void> faults = loop.spawn("faults", () -> {
                for (int i = 0; i < 12; i++) {
                    sim.clock().sleep(Duration.ofMillis(5 + random.nextInt(40)));
                    switch (random.nextInt(3)) {
                        case 0 -> {
                            sim.network().partition("client", "flaky");
                            sim.clock().sleep(Duration.ofMillis(random.nextInt(30)));
                            sim.network().heal("client", "flaky");
                        }
                        case 1 -> sim.network().reset("client", "flaky");
                        default -> sim.pause("flaky", Duration.ofMillis(random.nextInt(30)));
                    }
                }
                return null;
            });
            for (int n = 0; n < CALLS; n++) {
                int number = n;
                int delay = random.nextInt(30);
                int kind = random.nextInt(10);
                AgentAddress steady = agent("steady", random.nextInt(AGENTS));
                if (kind < 3) {
                    good.add(loop.spawn("good-" + n, () -> client.connect(steady).call("work", number, delay)));
                } else if (kind < 5) {
                    others.add(loop.spawn("timed-" + n, () -> impatient.connect(steady).call("work", number, delay)));
                } else if (kind < 6) {
                    Task<Object> t = loop.spawn("cancelled-" + n, () -> client.connect(steady).call("work", number, delay));
                    others.add(t);
                    Duration after = Duration.ofMillis(random.nextInt(30));
                    helpers.add(loop.spawn(() -> {
                        sim.clock().sleep(after);
                        t.cancel();
                        return null;
                    }));
                } else if (kind < 7) {
                    Duration after = Duration.ofMillis(random.nextInt(30));
                    others.add(loop.spawn("abandoned-" + n, () -> {
                        Future<Object> f = client.connect(steady).callAsync("work", number, delay);
                        sim.clock().sleep(after);
                        f.cancel();
                        return f.await();
                    }));
                } else {
                    AgentAddress flaky = agent("flaky", random.nextInt(AGENTS));
                    others.add(loop.spawn("flaky-" + n, () -> client.connect(flaky, Duration.ZERO).call("work", number, delay)));
                }
                if (random.nextInt(3) == 0) {
                    sim.clock().sleep(Duration.ofMillis(random.nextInt(3)));
                }
            }
            Map<String, Integer> outcomes = new TreeMap<>();
            for (Task<Object> t : good) {
                assertThat(t.await()).as("seed %d: a well-behaved call's reply", sim.seed()).isInstanceOf(Number.class);
                outcomes.merge("result", 1, Integer::sum);
            }
            faults.await();
            for (Task<Object> t : others) {
                CallOutcomes.count(t, outcomes);
            }
            Future.allSettled(helpers).await();
            // Late replies to abandoned calls did not break the connections the others share.
            for (int i = 0; i < AGENTS; i++) {
                assertThat(client.connect(agent("steady", i)).call("work", -1, 0)).isEqualTo(-1);
                assertThat(client.connect(agent("flaky", i)).call("work", -2, 0)).isEqualTo(-2);
            }
            impatient.shutdown();
            for (String node : List.of("client", "flaky", "steady")) {
                sim.containerOf(node).shutdown();
            }
            Loop.runUntilIdle();
            assertThat(loop.tasks()).as("seed %d: tasks left", sim.seed()).containsExactly(Task.current());
            assertThat(OpenResources.of(loop)).as("seed %d: resources left open", sim.seed()).isEmpty();
            return outcomes;
        });
    }

    @ParameterizedTest(name = "[seed={0}]")
    @MethodSource("seeds")
    void callsEndCleanlyUnderTimeoutsCancellationsPartitionsResetsAndPauses(long seed) {
        try (Simulation sim = Simulation.withSeed(seed)) {
            Map<String, Integer> outcomes = stress(sim);
            assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(CALLS);
            assertThat(outcomes).as("seed %d: outcomes %s", seed, outcomes)
                    .containsKeys("result", "timeout", "cancelled");
        }
    }

    @Test
    void aSeedReplaysTheStressedRunEventForEvent() {
        for (long seed = 1; seed <= 10; seed++) {
            Simulation.checkDeterminism(seed, SimulatedCallStressTest::stress);
        }
    }
}
