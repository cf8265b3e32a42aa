package io.loomas.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import io.loomas.agent.Agent;
import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.rpc.Expose;
import io.loomas.runtime.CancelledException;
import io.loomas.runtime.Loop;
import io.loomas.sim.Simulation;
import io.loomas.transport.Address;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** {@code @SimulationTest(faults, chaos, scheduling)}: the nemesis in one line, and a liveness phase after it. */
class SimulationTestFaultsTest {

    static class Echo extends Agent {
        Echo(Container c) {
            super(c);
        }

        @Expose
        int echo(int x) {
            return x;
        }
    }

    @SimulationTest(seeds = 10, faults = "swarm(partition, crash, pause, clog)", chaos = "PT20S", scheduling = "portfolio")
    void aClientIsAnsweredAgainAfterTheChaos(Simulation sim) throws Exception {
        assertThat(sim.faultProfile()).contains("nemesis swarm [").contains(" for PT20S");
        for (String node : List.of("a", "b", "c")) {
            sim.container(node, Echo::new);
        }
        int[] answered = {0};
        Loop.current().spawn("client", () -> {
            while (true) {
                Container a = sim.containerOf("a");
                try {
                    if (a != null) {
                        a.connect(new AgentAddress(Address.local("b"), "0"), Duration.ofSeconds(1))
                                .withTimeout(Duration.ofSeconds(1)).call("echo", 1);
                        answered[0]++;
                    }
                } catch (CancelledException e) {
                    throw e;
                } catch (Exception e) {
                    // a fault: try again
                }
                sim.clock().sleep(Duration.ofMillis(100));
            }
        });
        sim.clock().sleep(Duration.ofSeconds(1));
        int during = answered[0];
        sim.liveness(Duration.ofSeconds(10), "the client is answered after the chaos", () -> answered[0] > during + 3);
        assertThat(sim.clock().now()).isGreaterThanOrEqualTo(Duration.ofSeconds(20));
        assertThat(sim.faultProfile()).endsWith("(over)");
    }

    @Tag("leaky") // misconfigured on purpose; run only through EngineTestKit
    static class Misconfigured {
        @SimulationTest(seeds = 1, faults = "meteors")
        void unknownFaults(Simulation sim) {}

        @SimulationTest(seeds = 1, chaos = "PT5S")
        void chaosWithoutFaults(Simulation sim) {}

        @SimulationTest(seeds = 1, scheduling = "pct")
        void pctWithoutDepth(Simulation sim) {}
    }

    @org.junit.jupiter.api.Test
    void aMistypedSettingSaysWhatIsExpected() {
        assertThat(failure("unknownFaults")).hasMessageContaining("faults \"meteors\"")
                .hasMessageContaining("expected: swarm, or swarm(kind, ...)");
        assertThat(failure("chaosWithoutFaults")).hasMessageContaining("has no faults to run for that long");
        assertThat(failure("pctWithoutDepth")).hasMessageContaining("scheduling \"pct\"")
                .hasMessageContaining("pct(depth)");
    }

    private static Throwable failure(String method) {
        List<Event> failed = EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(Misconfigured.class, method, Simulation.class.getName())).execute()
                .allEvents().failed().list();
        assertThat(failed).as(method).isNotEmpty();
        return failed.get(0).getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
    }
}
