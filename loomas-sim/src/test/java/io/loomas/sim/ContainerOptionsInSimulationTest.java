package io.loomas.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.agent.Agent;
import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.codec.Codec;
import io.loomas.rpc.Expose;
import io.loomas.runtime.Clock;
import io.loomas.runtime.TimeoutException;
import io.loomas.runtime.VirtualClock;
import io.loomas.transport.Address;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@code sim.container(node, options, setup)}: a node's codec, timeouts and limits are the test's to choose; what keeps it simulated is not. */
class ContainerOptionsInSimulationTest {

    static final class Slow extends Agent {
        Slow(Container c) {
            super(c);
        }

        @Expose
        String slow() {
            clock().sleep(Duration.ofMinutes(5));
            return "late";
        }

        @Expose
        String fast() {
            return "fast";
        }
    }

    @Test
    void aNodesCodecAndCallTimeoutHoldAndSurviveARestart() {
        try (Simulation sim = Simulation.withSeed(4)) {
            sim.run(() -> {
                sim.container("server", o -> o.withCodec(Codec.msgpack()), Slow::new);
                Container client = sim.container("client", o -> o.withCodec(Codec.msgpack())
                        .withCallTimeout(Duration.ofSeconds(10)), c -> {});
                AgentAddress slow = new AgentAddress(Address.local("server"), "0");
                assertThat(client.connect(slow).call("fast")).isEqualTo("fast");
                assertThatThrownBy(() -> client.connect(slow).call("slow")).isInstanceOf(TimeoutException.class);
                assertThat(sim.clock().now()).isLessThan(Duration.ofMinutes(1)); // the 10 s bound, not the 5 min

                sim.crash("client");
                Container again = sim.restart("client");
                assertThat(again.connect(slow).call("fast")).as("msgpack again: the server speaks nothing else").isEqualTo("fast");
                assertThatThrownBy(() -> again.connect(slow).call("slow")).isInstanceOf(TimeoutException.class);
                return null;
            });
        }
    }

    @Test
    void optionsThatWouldLeaveTheSimulationAreRefusedNamingWhat() {
        try (Simulation sim = Simulation.withSeed(5)) {
            sim.run(() -> {
                Clock own = new VirtualClock();
                assertThatThrownBy(() -> sim.container("a", o -> o.withClock(own).withRandom(new SplittableRandom(1)), c -> {}))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("the options of node a replace the clock, the random source");
                assertThatThrownBy(() -> sim.container("b", o -> o.withChannelOptions(
                        o.channelOptions().withTransport(null)), c -> {}))
                        .hasMessageContaining("replace the transport");
                return null;
            });
        }
    }
}
