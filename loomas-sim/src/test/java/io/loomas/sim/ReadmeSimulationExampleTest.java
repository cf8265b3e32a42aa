package io.loomas.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.agent.Agent;
import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.rpc.Expose;
import io.loomas.rpc.Remote;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The README's simulation example, as written there. */
class ReadmeSimulationExampleTest {

    static class ExampleAgent extends Agent {
        ExampleAgent(Container container) {
            super(container);
        }

        @Expose
        int service(int value) {
            clock().sleep(Duration.ofMillis(1));
            return value;
        }
    }

    @Test
    void theExampleCallStallsDuringThePartitionAndThenAnswers() {
        Object result;
        try (Simulation sim = Simulation.withSeed(42)) {
            sim.network().setLatency(Latency.uniform(Duration.ofMillis(1), Duration.ofMillis(20)));
            Object reply = sim.run(() -> {
                Container a = sim.container("a");                  // local://a on the simulated network
                Container b = sim.container("b", ExampleAgent::new); // setup runs again after a restart
                Remote agent = a.connect(new AgentAddress(b.address(), "0"));
                sim.network().partition("a", "b");                 // calls stall ...
                Task<Object> call = Loop.current().spawn(() -> agent.call("service", 7));
                sim.clock().sleep(Duration.ofMinutes(5));          // ... five virtual minutes, no wall time
                sim.network().heal("a", "b");                      // ... until the partition heals
                return call.await();                               // 7
            });
            result = reply;
            assertThat(sim.clock().now()).isGreaterThan(Duration.ofMinutes(5));
        }
        assertThat(result).isEqualTo(7);
    }
}
