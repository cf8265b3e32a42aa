package io.loomas.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.channel.Channel;
import io.loomas.channel.ChannelOptions;
import io.loomas.channel.Channels;
import io.loomas.channel.Request;
import io.loomas.channel.Server;
import io.loomas.runtime.Loop;
import io.loomas.transport.Address;
import io.loomas.transport.Backoff;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The examples of the channel layer's Javadoc, compiled and run: the Javadoc shows the marked regions. */
class ChannelSnippets {

    @Test
    void serverAndChannel() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            // @start region="server-and-channel"
            Loop.run(() -> {
                Server server = Channels.startServer(Address.tcp("localhost", 0), channel -> {
                    Request request = channel.recv();
                    request.reply("cya");
                }, ChannelOptions.DEFAULT);
                try (Channel channel = Channels.connect(server.address(), ChannelOptions.DEFAULT)) {
                    System.out.println(channel.send("ohai"));   // cya
                } finally {
                    server.close();
                }
                return null;
            });
            // @end
        } finally {
            System.setOut(stdout);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("cya" + System.lineSeparator());
    }

    @Test
    void backoffWithJitter() {
        // @start region="backoff-with-jitter"
        ChannelOptions options = ChannelOptions.DEFAULT.withConnectTimeout(Duration.ofMinutes(1))
                .withBackoff(Backoff.AIOMAS.withJitter(1.0, new SplittableRandom())); // "full jitter"
        // @end
        assertThat(options.backoff().pause(1)).isBetween(Duration.ZERO, Duration.ofMillis(500));
        assertThat(options.backoff().pause(20)).isBetween(Duration.ZERO, Duration.ofSeconds(30));
    }

    @Test
    void channel() {
        Object got = Loop.run(() -> {
            Server server = Channels.startServer(Address.tcp("localhost", 0), c -> c.recv().reply("cya"),
                    ChannelOptions.DEFAULT);
            try {
                return send(((Address.Tcp) server.address()).port());
            } finally {
                server.close();
            }
        });
        assertThat(got).isEqualTo("cya");
    }

    private static Object send(int port) throws Exception {
        // @start region="channel"
        try (Channel channel = Channels.connect(Address.tcp("localhost", port), ChannelOptions.DEFAULT)) {
            return channel.send("ohai");     // "cya": the server's handler did request.reply("cya")
        }
        // @end
    }
}
