package io.loomas;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.channel.Channel;
import io.loomas.channel.ChannelOptions;
import io.loomas.channel.Channels;
import io.loomas.channel.Request;
import io.loomas.channel.Server;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Queue;
import io.loomas.runtime.Task;
import org.junit.jupiter.api.Test;
import io.loomas.transport.Address;

/** The README's examples, as written there: they must compile and do what the README says. */
class ReadmeExamplesTest {

    @Test
    void theChannelExampleRepliesCya() {
        String reply = Loop.run(() -> {
            Server server = Channels.startServer(Address.tcp("127.0.0.1", 0), channel -> {
                Request request = channel.recv();         // waits without holding the loop
                request.reply("cya");
            }, ChannelOptions.DEFAULT);
            try (Channel channel = Channels.connect(server.address(), ChannelOptions.DEFAULT)) {
                return (String) channel.send("ohai");     // "cya"
            } finally {
                server.close();
                server.awaitClosed();
            }
        });
        assertThat(reply).isEqualTo("cya");
    }

    @Test
    void theQueueExampleSumsToFiveThousandFifty() {
        int total = Loop.run(() -> {
            Loop loop = Loop.current();
            Queue<Integer> queue = new Queue<>(10);
            Task<Integer> consumer = loop.spawn("consumer", () -> {
                int sum = 0;
                for (int i = 0; i < 100; i++) {
                    sum += queue.take();
                }
                return sum;
            });
            for (int i = 1; i <= 100; i++) {
                queue.put(i);                             // waits while the queue is full
            }
            return consumer.await();                      // 5050
        });
        assertThat(total).isEqualTo(5050);
    }
}
