package io.loomas.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.runtime.Loop;
import io.loomas.runtime.Queue;
import io.loomas.testing.TransportCase;
import io.loomas.transport.Connection;
import io.loomas.transport.ConnectionClosedException;
import io.loomas.transport.FrameHandler;
import io.loomas.transport.Transport;
import io.loomas.transport.TransportOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A peer that numbers its requests with strings gets its answers with the same ids, as aiomas
 * gives them. Regression: a request {@code [0, "abc", ...]} closed the connection.
 */
class PeerIdsTest {

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#transports")
    void aRequestWithAStringIdIsAnsweredWithThatId(String transport) {
        Loop.run(() -> {
            Server server = Channels.startServer(TransportCase.freshAddress(transport), channel -> {
                try {
                    while (true) {
                        Request r = channel.recv();
                        if (r.content().equals("fail")) {
                            r.fail(new IllegalStateException("as asked"));
                        } else {
                            r.reply("served " + r.content());
                        }
                    }
                } catch (ConnectionClosedException e) {
                    // the peer is done
                }
            }, ChannelOptions.DEFAULT);
            try {
                Queue<String> replies = new Queue<>();
                Connection raw = Loop.current().offload(() ->
                        Transport.forAddress(server.address()).connect(server.address(), TransportOptions.DEFAULT)).await();
                raw.start(new FrameHandler() {
                    @Override
                    public void onFrame(byte[] payload) {
                        replies.offer(new String(payload, StandardCharsets.UTF_8));
                    }

                    @Override
                    public void onClose(Throwable cause) {
                        replies.offer("closed: " + cause);
                    }
                });
                raw.send("[0, \"abc\", \"hello\"]".getBytes(StandardCharsets.UTF_8));
                assertThat(replies.take(Duration.ofSeconds(10))).isEqualTo("[1, \"abc\", \"served hello\"]");
                raw.send("[0, \"q-2\", \"fail\"]".getBytes(StandardCharsets.UTF_8));
                assertThat(replies.take(Duration.ofSeconds(10))).startsWith("[2, \"q-2\", \"java.lang.IllegalStateException: as asked");
                raw.send("[0, 7, \"numbers too\"]".getBytes(StandardCharsets.UTF_8));
                assertThat(replies.take(Duration.ofSeconds(10))).isEqualTo("[1, 7, \"served numbers too\"]");
                raw.close();
            } finally {
                server.close();
                server.awaitClosed();
            }
            return null;
        });
    }
}
