package io.loomas.junit;

// The "Testing your agents" example of README.md, kept here so that it compiles and passes.

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.agent.Agent;
import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.channel.Channel;
import io.loomas.channel.Request;
import io.loomas.rpc.Expose;
import io.loomas.runtime.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@LoomasTest
class ReadmeExampleTest {

    static class Pinger extends Agent {
        Pinger(Container container) {
            super(container);
        }

        Object ping(AgentAddress other) throws Exception {
            return container().connect(other).call("pong", "ping");
        }

        @Expose
        String pong(String text) {
            clock().sleep(Duration.ofMillis(1));      // the container's clock: the loop's
            return text + "/pong";
        }
    }

    @Test
    void anAgentAnswersAnother(Container container) throws Exception {
        Pinger a = new Pinger(container);
        Pinger b = new Pinger(container);
        assertThat(a.ping(b.address())).isEqualTo("ping/pong");
    }                                                 // the container is shut down here

    @Test
    @LoomasTest(clock = ClockKind.VIRTUAL)            // for tests on one loop, without sockets
    void anHourPassesAtOnce(Clock clock) {
        clock.sleep(Duration.ofHours(1));             // returns at once: nothing else can run
        assertThat(clock.now()).isEqualTo(Duration.ofHours(1));
    }

    @TransportTest(name = "echo[{transport}/{codec}]")
    void echoes(TransportContext ctx) throws Exception {
        Channel channel = ctx.startServerAndConnect(server -> {
            Request request = server.recv();
            request.reply(request.content());
        });
        assertThat(channel.send("ohai")).isEqualTo("ohai");
    }                                                 // channel and server are closed here
}
