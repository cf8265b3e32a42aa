package io.loomas.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.channel.Channel;
import io.loomas.channel.ChannelOptions;
import io.loomas.channel.Channels;
import io.loomas.channel.Request;
import io.loomas.channel.Server;
import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.transport.Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A receiver that does not receive for a while gets more requests than its inbox holds. On the
 * simulated network frames arrive on the loop itself, so the channel must not wait for room there
 * (that would stop the whole simulation); the requests queue and are served once it receives.
 */
class FloodTest {

    @Test
    void moreRequestsThanTheInboxHoldsAreServedOnceTheReceiverReceives() {
        try (Simulation sim = Simulation.withSeed(13)) {
            int requests = 50;
            ChannelOptions server = ChannelOptions.DEFAULT.withTransport(sim.network().endpoint("b")).withInboxCapacity(10);
            ChannelOptions client = ChannelOptions.DEFAULT.withTransport(sim.network().endpoint("a"));
            List<Object> replies = sim.run(() -> {
                Server s = Channels.startServer(Address.local("b"), channel -> {
                    sim.clock().sleep(Duration.ofSeconds(1)); // not receiving while the flood arrives
                    for (int i = 0; i < requests; i++) {
                        Request r = channel.recv();
                        r.reply(r.content());
                    }
                }, server);
                try (Channel c = Channels.connect(Address.local("b"), client)) {
                    List<Future<Object>> calls = new ArrayList<>();
                    for (int i = 0; i < requests; i++) {
                        calls.add(c.request(i));
                    }
                    return Future.all(calls).await();
                } finally {
                    s.close();
                    s.awaitClosed();
                }
            });
            assertThat(replies).hasSize(requests).startsWith(0, 1, 2);
        }
    }
}
