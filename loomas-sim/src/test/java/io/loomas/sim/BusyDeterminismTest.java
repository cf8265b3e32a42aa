package io.loomas.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.agent.Agent;
import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.rpc.Expose;
import io.loomas.rpc.Remote;
import io.loomas.runtime.CancelledException;
import io.loomas.runtime.Loop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The same seed gives the same run in a busy world: several containers with several agents each,
 * every agent with tasks and timers of its own, many connections per container, calls both ways,
 * partitions that heal, a crash and a restart, a pause, a skewed clock, and tasks still alive when
 * the main task ends (so shutdown is part of what is compared).
 *
 * <p>{@code mvn -B test} checks 1000 seeds (about ten seconds); {@code -Dloomas.determinism.seeds=N}
 * checks N. {@link CrossJvmDeterminismTest} compares the same world across JVM launches.
 */
class BusyDeterminismTest {
    static final int NODES = 4;
    static final int AGENTS_PER_NODE = 3;

    /** An agent that calls random peers on its own timer, and makes them call it back. */
    static final class Peer extends Agent {
        final List<AgentAddress> everyone;
        final Map<String, Remote> remotes = new LinkedHashMap<>();
        int pings;

        Peer(Container c, List<AgentAddress> everyone, Simulation sim) {
            super(c);
            this.everyone = everyone;
            everyone.add(address());
            Loop.current().spawn("tick " + address(), () -> {
                tick(sim);
                return null;
            });
        }

        private void tick(Simulation sim) {
            while (true) {
                clock().sleep(Duration.ofMillis(5 + random().nextInt(45)));
                AgentAddress target = everyone.get(random().nextInt(everyone.size()));
                String outcome;
                try {
                    Remote r = remote(target);
                    outcome = random().nextBoolean()
                            ? "ping " + r.call("ping", pings)
                            : "callBack " + r.call("callMeBack", address().toString());
                } catch (CancelledException e) {
                    throw e;
                } catch (RuntimeException | java.io.IOException e) {
                    remotes.remove(target.toString()); // a crash, a reset, a timeout: connect again next time
                    outcome = e.getClass().getSimpleName();
                }
                sim.trace("app", address() + " -> " + target + ": " + outcome);
            }
        }

        private Remote remote(AgentAddress target) throws java.io.IOException {
            Remote r = remotes.get(target.toString());
            if (r == null) {
                r = container().connect(target, Duration.ofMillis(200));
                remotes.put(target.toString(), r);
            }
            return r;
        }

        @Expose
        int ping(int n) {
            clock().sleep(Duration.ofMillis(random().nextInt(5)));
            return ++pings + n;
        }

        /** Calls the caller back on a connection of its own, while the caller's call waits. */
        @Expose
        String callMeBack(String caller) throws java.io.IOException {
            Remote back = container().connect(AgentAddress.parse(caller), Duration.ofMillis(200));
            return "pinged back: " + back.call("ping", 1);
        }
    }

    /** The busy world; ends with every agent's task still running. */
    static void busyWorld(Simulation sim) {
        sim.run(() -> {
            List<AgentAddress> everyone = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                sim.container("n" + i, c -> {
                    for (int j = 0; j < AGENTS_PER_NODE; j++) {
                        new Peer(c, everyone, sim);
                    }
                });
            }
            sim.clock().sleep(Duration.ofMillis(150));
            sim.network().partition("n0", "n1");
            sim.network().partitionOneWay("n2", "n3");
            sim.clock().sleep(Duration.ofMillis(120));
            sim.network().healAll();
            sim.crash("n2");
            everyone.removeIf(a -> a.toString().contains("n2"));
            sim.clock().sleep(Duration.ofMillis(60));
            sim.restart("n2");
            sim.pause("n3", Duration.ofMillis(300));
            sim.skewClock("n1", Duration.ofSeconds(-2), 0.01);
            sim.clock().sleep(Duration.ofMillis(200));
            sim.network().reset("n0", "n3");
            sim.pause("n1", Duration.ofHours(1)); // still paused when the run ends
            sim.clock().sleep(Duration.ofMillis(100));
            return null;
        });
    }

    @Test
    void aBusyWorldReplaysEventForEventIncludingItsShutdown() {
        int seeds = Integer.getInteger("loomas.determinism.seeds", 1000);
        for (long seed = 0; seed < seeds; seed++) {
            Simulation.checkDeterminism(seed, BusyDeterminismTest::busyWorld);
        }
    }

    @Test
    void theBusyWorldIsBusy() {
        try (Simulation sim = Simulation.withSeed(3)) {
            busyWorld(sim);
            List<Trace.Event> events = sim.trace().events();
            assertThat(events.stream().filter(e -> e.kind().equals("app")).count()).isGreaterThan(20);
            assertThat(events).anyMatch(e -> e.kind().equals("app") && e.detail().contains("pinged back"));
            assertThat(events).anyMatch(e -> e.kind().equals("app") && e.detail().endsWith("Exception"));
        }
    }
}
