package io.loomas.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.agent.Agent;
import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.rpc.Expose;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The agent example of aiomas' documentation, with the container the kit injects. */
@LoomasTest
class AgentTest {

    static class ExampleAgent extends Agent {
        ExampleAgent(Container container) {
            super(container);
        }

        Object run(AgentAddress target, int num) throws Exception {
            return container().connect(target).call("service", num);
        }

        @Expose
        int service(int value) {
            clock().sleep(Duration.ofMillis(1));
            return value;
        }
    }

    @Test
    void anAgentCallsAnotherAgentsExposedService(Container container) throws Exception {
        ExampleAgent a = new ExampleAgent(container);
        ExampleAgent b = new ExampleAgent(container);
        assertThat(a.run(b.address(), 42)).isEqualTo(42);
    }

    @TransportTest(name = "agents[{transport}/{codec}]")
    void agentsInTwoContainersTalkOnEveryTransport(Container c1, Container c2) throws Exception {
        assertThat(c1.address()).isNotEqualTo(c2.address());
        assertThat(new ExampleAgent(c1).run(new ExampleAgent(c2).address(), 7)).isEqualTo(7);
    }
}
