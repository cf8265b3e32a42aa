package io.loomas.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.rpc.Expose;
import io.loomas.rpc.Remote;
import io.loomas.runtime.Loop;
import io.loomas.testing.WireTap;
import io.loomas.transport.Address;
import org.junit.jupiter.api.Test;

/**
 * The agent conversation captured from aiomas 2.0.1 (docs/wire.md), reproduced by two loomas
 * containers and checked byte for byte on the wire: validate_aid, agents/... paths, an agent passed
 * as {"__type__": [1, "agents/0"]} and called back over the same socket, and a missing agent.
 */
class WireConversationTest {

    static class Callee extends Agent {
        Callee(Container c) {
            super(c);
        }

        @Expose
        String spam(int times) {
            return "spam".repeat(times);
        }
    }

    static class Registry extends Agent {
        Registry(Container c) {
            super(c);
        }

        @Expose
        Object register(Remote agent) {
            return agent.call("spam", 1); // calls c1's agent back over the same socket
        }
    }

    static class Shouter extends Agent {
        Shouter(Container c) {
            super(c);
        }

        @Expose
        String spam(int times) {
            return "SPAM".repeat(times);
        }
    }

    @Test
    void theCapturedAiomasConversationIsReproducedByteForByte() {
        Loop.run(() -> {
            try (Container c1 = Container.create(Address.tcp("127.0.0.1", 0), ContainerOptions.DEFAULT);
                    Container c2 = Container.create(Address.tcp("127.0.0.1", 0), ContainerOptions.DEFAULT);
                    WireTap tap = WireTap.inFrontOf((Address.Tcp) c2.address())) {
                Shouter shouter = new Shouter(c1);
                new Callee(c2);
                new Registry(c2);
                Remote callee = c1.connect(new AgentAddress(tap.address(), "0"));    // request 0
                Remote registry = c1.connect(new AgentAddress(tap.address(), "1"));  // request 1
                assertThat(callee.call("spam", 2)).isEqualTo("spamspam");            // request 2
                assertThat(registry.call("register", shouter)).isEqualTo("SPAM");    // request 3
                assertThat(callee.call("spam", 0)).isEqualTo("");                    // request 4
                assertThatThrownBy(() -> c1.connect(new AgentAddress(tap.address(), "7")))  // request 5
                        .isInstanceOf(AgentNotFoundException.class);

                assertThat(tap.clientToServer()).containsExactly(
                        "[0, 0, [\"validate_aid\", [\"0\"], {}]]",
                        "[0, 1, [\"validate_aid\", [\"1\"], {}]]",
                        "[0, 2, [\"agents/0/spam\", [2], {}]]",
                        "[0, 3, [\"agents/1/register\", [{\"__type__\": [1, \"agents/0\"]}], {}]]",
                        "[1, 0, \"SPAM\"]",
                        "[0, 4, [\"agents/0/spam\", [0], {}]]",
                        "[0, 5, [\"validate_aid\", [\"7\"], {}]]");
                assertThat(tap.serverToClient()).containsExactly(
                        "[1, 0, \"Callee\"]",
                        "[1, 1, \"Registry\"]",
                        "[1, 2, \"spamspam\"]",
                        "[0, 0, [\"agents/0/spam\", [1], {}]]",
                        "[1, 3, \"SPAM\"]",
                        "[1, 4, \"\"]",
                        "[1, 5, null]");
            }
            return null;
        });
    }
}
