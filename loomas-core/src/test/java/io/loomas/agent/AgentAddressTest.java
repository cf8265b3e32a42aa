package io.loomas.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.runtime.Loop;
import io.loomas.transport.Address;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AgentAddressTest {

    @Test
    void addressesOfEveryTransportRoundTrip() {
        for (String text : new String[] {"tcp://127.0.0.1:5555/0", "tcp://[::1]:5555/12", "ipc://[/tmp/a b/s.sock]/3",
                "local://queue-1/0"}) {
            assertThat(AgentAddress.parse(text).toString()).isEqualTo(text);
        }
        assertThat(AgentAddress.parse("ipc:///tmp/s.sock/4"))
                .isEqualTo(new AgentAddress(Address.unix(Path.of("/tmp/s.sock")), "4"));
        assertThat(AgentAddress.parse("tcp://localhost:80/7").container()).isEqualTo(Address.tcp("localhost", 80));
    }

    /** Regression: both forms below are aiomas' own, and both were refused. */
    @Test
    void aiomasFormsParse() {
        AgentAddress v6 = AgentAddress.parse("tcp://::1:5555/0");
        assertThat(v6).isEqualTo(new AgentAddress(Address.tcp("::1", 5555), "0"));
        assertThat(v6.toString()).isEqualTo("tcp://[::1]:5555/0");
        assertThat(AgentAddress.parse("tcp://fe80::1:2:80/3").container()).isEqualTo(Address.tcp("fe80::1:2", 80));
        AgentAddress sub = AgentAddress.parse("tcp://h:5555/0/sub");
        assertThat(sub.id()).isEqualTo("0/sub");
        assertThat(sub.agentId()).isEqualTo("0");
        assertThat(sub.toString()).isEqualTo("tcp://h:5555/0/sub");
        assertThat(AgentAddress.parse("local://q/2/a/b").id()).isEqualTo("2/a/b");
        assertThat(AgentAddress.parse("ipc://[/tmp/x/s]/1/sub").id()).isEqualTo("1/sub");
    }

    @Test
    void malformedAddressesNameTheText() {
        for (String bad : new String[] {"tcp://host/0", "tcp://host:1/", "nope", "http://x:1/0", "tcp://host:99999/0",
            "tcp://h:1/0//x", "tcp://h:1/0/", "local://q/"}) {
            assertThatThrownBy(() -> AgentAddress.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("malformed agent address: \"" + bad + "\"")
                    .hasMessageContaining("expected: tcp://host:port/<id>");
        }
    }

    @Test
    void containersHaveTheirOwnRandomSourceUnlessOneIsGiven() {
        Loop.run(() -> {
            try (Container a = Container.create(Address.tcp("127.0.0.1", 0), ContainerOptions.DEFAULT);
                    Container b = Container.create(Address.tcp("127.0.0.1", 0), ContainerOptions.DEFAULT);
                    Container seeded = Container.create(Address.tcp("127.0.0.1", 0),
                            ContainerOptions.DEFAULT.withRandom(new java.util.SplittableRandom(5)))) {
                assertThat(a.random()).isNotSameAs(b.random());
                assertThat(seeded.random().nextLong()).isEqualTo(new java.util.SplittableRandom(5).nextLong());
                assertThat(new ContainerTest.ExampleAgent(seeded).random()).isSameAs(seeded.random());
            }
            return null;
        });
    }

    @Test
    void anAgentPrintsAsItsClassAndAddress() {
        Loop.run(() -> {
            try (Container c = Container.create(Address.tcp("127.0.0.1", 0), ContainerOptions.DEFAULT)) {
                Agent a = new ContainerTest.ExampleAgent(c);
                Address.Tcp where = (Address.Tcp) c.address();
                assertThat(a).hasToString("ExampleAgent('tcp://127.0.0.1:" + where.port() + "/0')");
                assertThat(a.address()).hasToString("tcp://127.0.0.1:" + where.port() + "/0");
            }
            return null;
        });
    }
}
