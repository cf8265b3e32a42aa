package io.loomas.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.testing.TransportCase;
import io.loomas.codec.CodecException;
import io.loomas.runtime.Event;
import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Promise;
import io.loomas.runtime.Task;
import io.loomas.runtime.TimeoutException;
import io.loomas.transport.ConnectionClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The channel layer's contract, on every transport with every codec. */
class ChannelTest {

    /** Starts a server with {@code handler}, connects, runs {@code body}, closes both. */
    interface Body {
        void run(Channel client, Server server) throws Exception;
    }

    static void withServer(TransportCase t, ConnectionHandler handler, Body body) {
        Loop.run(() -> {
            Server server = Channels.startServer(t.freshAddress(), handler, t.options());
            try (Channel client = Channels.connect(server.address(), t.options())) {
                body.run(client, server);
            } finally {
                server.close();
                server.awaitClosed();
            }
            return null;
        });
    }

    /** A handler that answers every request with what {@code reply} makes of it. */
    static ConnectionHandler serving(java.util.function.Function<Object, Object> reply) {
        return channel -> {
            while (true) {
                Request r;
                try {
                    r = channel.recv();
                } catch (ConnectionClosedException e) {
                    return;
                }
                r.reply(reply.apply(r.content()));
            }
        };
    }

    @ParameterizedTest(name = "channel[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aRequestGetsItsReply(TransportCase t) {
        withServer(t, channel -> {
            Request r = channel.recv();
            assertThat(r.content()).isEqualTo("ohai");
            r.reply("cya");
        }, (client, server) -> assertThat(client.send("ohai")).isEqualTo("cya"));
    }

    @ParameterizedTest(name = "channel[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void structuredContentSurvivesTheRoundTrip(TransportCase t) {
        Map<String, Object> content = Map.of("name", "cattle-1234", "values", List.of(1, 2.5, "x", true),
                "nested", Map.of("big", Long.MAX_VALUE));
        withServer(t, serving(c -> c), (client, server) -> assertThat(client.send(content)).isEqualTo(content));
    }

    @ParameterizedTest(name = "channel[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void bothPeersSendRequestsOnOneChannel(TransportCase t) {
        withServer(t, channel -> {
            Request r = channel.recv();
            Object answer = channel.send("server asks " + r.content()); // the client answers while its own call waits
            r.reply("server got " + answer);
        }, (client, server) -> {
            Loop loop = Loop.current();
            Task<Void> answering = loop.spawn("client-receiver", () -> {
                Request r = client.recv();
                r.reply("client answers " + r.content());
                return null;
            });
            assertThat(client.send("hi")).isEqualTo("server got client answers server asks hi");
            answering.await();
        });
    }

    @ParameterizedTest(name = "channel[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void thousandConcurrentSendsEachGetTheirOwnReply(TransportCase t) {
        withServer(t, serving(c -> "echo " + c), (client, server) -> {
            Loop loop = Loop.current();
            List<Task<Object>> calls = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                String msg = "m" + i;
                calls.add(loop.spawn(() -> client.send(msg)));
            }
            List<Object> replies = Future.all(calls).await();
            for (int i = 0; i < 1000; i++) {
                assertThat(replies.get(i)).isEqualTo("echo m" + i);
            }
        });
    }

    @ParameterizedTest(name = "channel[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void repliesOutOfOrderStillReachTheirCallers(TransportCase t) {
        int n = 20;
        withServer(t, channel -> {
            // Take all requests first, then answer them last to first, each from its own task.
            List<Request> requests = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                requests.add(channel.recv());
            }
            Collections.reverse(requests);
            List<Task<Void>> answers = new ArrayList<>();
            for (Request r : requests) {
                answers.add(Loop.current().spawn(() -> {
                    r.reply("answer to " + r.content());
                    return null;
                }));
                Loop.yieldNow();
            }
            Future.all(answers).await();
        }, (client, server) -> {
            List<Task<Object>> calls = new ArrayList<>();
            List<String> completionOrder = Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < n; i++) {
                String msg = "q" + i;
                calls.add(Loop.current().spawn(() -> {
                    Object reply = client.send(msg);
                    completionOrder.add(msg);
                    return reply;
                }));
            }
            List<Object> replies = Future.all(calls).await();
            for (int i = 0; i < n; i++) {
                assertThat(replies.get(i)).isEqualTo("answer to q" + i);
            }
            assertThat(completionOrder.get(0)).isEqualTo("q" + (n - 1));
        });
    }

    @ParameterizedTest(name = "channel[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aFailureReplyBecomesARemoteExceptionWithOriginTypeAndText(TransportCase t) {
        withServer(t, channel -> {
            Request r = channel.recv();
            r.fail(new IllegalArgumentException("no such cattle: " + r.content()));
        }, (client, server) -> {
            assertThatThrownBy(() -> client.send("cattle-7"))
                    .isInstanceOfSatisfying(RemoteException.class, e -> {
                        assertThat(e.origin()).isEqualTo(client.peerAddress().toString());
                        assertThat(e.remoteType()).isEqualTo("java.lang.IllegalArgumentException");
                        assertThat(e.remoteMessage()).isEqualTo("no such cattle: cattle-7");
                        assertThat(e.remoteText()).contains("\tat io.loomas.channel.ChannelTest");
                        assertThat(e.getMessage())
                                .startsWith("remote failure from " + client.peerAddress()
                                        + ": java.lang.IllegalArgumentException: no such cattle: cattle-7")
                                .contains("Remote trace:");
                        assertThat(e.getMessage().lines().count()).isLessThan(15);
                    });
            assertThat(client.isOpen()).isTrue();
        });
    }

    @ParameterizedTest(name = "channel[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aReplyThatCannotBeEncodedTurnsIntoAFailureReply(TransportCase t) {
        withServer(t, channel -> {
            Request r = channel.recv();
            r.reply(new Object()); // no codec can encode a plain Object
            channel.recv().reply("still serving");
        }, (client, server) -> {
            assertThatThrownBy(() -> client.send("x"))
                    .isInstanceOf(RemoteException.class)
                    .hasMessageContaining(CodecException.class.getName())
                    .hasMessageContaining("cannot encode value of type java.lang.Object");
            assertThat(client.send("y")).isEqualTo("still serving");
        });
    }

    @ParameterizedTest(name = "channel[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void contentThatCannotBeEncodedFailsTheSenderAndSendsNothing(TransportCase t) {
        withServer(t, serving(c -> c), (client, server) -> {
            assertThatThrownBy(() -> client.send(new Object())).isInstanceOf(CodecException.class);
            assertThat(client.send("fine")).isEqualTo("fine");
        });
    }

    @ParameterizedTest(name = "channel[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void closingFailsPendingSendsAndTheReceiverAndLaterCallsFailAtOnce(TransportCase t) {
        Event requestArrived = new Event();
        withServer(t, channel -> {
            channel.recv();
            requestArrived.set(); // never answered
            try {
                channel.recv();
            } catch (ConnectionClosedException e) {
                // expected once the client closes
            }
        }, (client, server) -> {
            Loop loop = Loop.current();
            Task<Object> pendingSend = loop.spawn(() -> client.send("never answered"));
            Task<Request> receiver = loop.spawn(client::recv);
            requestArrived.await();
            client.close();
            assertThatThrownBy(pendingSend::await).isInstanceOf(ConnectionClosedException.class)
                    .hasMessageContaining("closed by this side");
            assertThatThrownBy(receiver::await).isInstanceOf(ConnectionClosedException.class);
            assertThatThrownBy(() -> client.send("later")).isInstanceOf(ConnectionClosedException.class);
            assertThatThrownBy(client::recv).isInstanceOf(ConnectionClosedException.class);
            assertThat(client.isOpen()).isFalse();
        });
    }

    @ParameterizedTest(name = "channel[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void thePeerClosingFailsPendingSends(TransportCase t) {
        withServer(t, channel -> {
            channel.recv();
            channel.close(); // hang up instead of answering
        }, (client, server) -> {
            assertThatThrownBy(() -> client.send("hello?"))
                    .isInstanceOf(ConnectionClosedException.class)
                    .hasMessageContaining("closed by the peer");
            client.closed().await();
            assertThatThrownBy(() -> client.send("again")).isInstanceOf(ConnectionClosedException.class);
        });
    }

    @ParameterizedTest(name = "channel[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aTimedOutSendThrowsAndItsLateReplyIsDropped(TransportCase t) {
        Promise<Void> answerNow = new Promise<>();
        withServer(t, channel -> {
            Request slow = channel.recv();
            answerNow.await();
            slow.reply("too late");
            channel.recv().reply("on time");
        }, (client, server) -> {
            assertThatThrownBy(() -> client.send("slow", Duration.ofMillis(50)))
                    .isInstanceOf(TimeoutException.class);
            answerNow.complete(null);
            // The late reply is dropped; the connection lives on and the next call gets its own reply.
            assertThat(client.send("next", Duration.ofSeconds(10))).isEqualTo("on time");
        });
    }

    @ParameterizedTest(name = "channel[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aSecondConcurrentReceiverIsAnError(TransportCase t) {
        withServer(t, serving(c -> c), (client, server) -> {
            Task<Request> first = Loop.current().spawn(client::recv);
            Loop.yieldNow(); // let it start waiting
            assertThatThrownBy(client::recv)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("one receiver at a time");
            first.cancel();
        });
    }

    @ParameterizedTest(name = "channel[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aRequestIsAnsweredOnlyOnce(TransportCase t) {
        Promise<Throwable> second = new Promise<>();
        withServer(t, channel -> {
            Request r = channel.recv();
            r.reply(1);
            try {
                r.reply(2);
            } catch (IllegalStateException e) {
                second.complete(e);
            }
        }, (client, server) -> {
            assertThat(client.send("x")).isEqualTo(1);
            assertThat(second.await()).hasMessageContaining("was answered already");
        });
    }

    @ParameterizedTest(name = "channel[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void closingTheServerClosesItsChannelsAndHandlers(TransportCase t) {
        withServer(t, serving(c -> c), (client, server) -> {
            assertThat(client.send("up")).isEqualTo("up");
            assertThat(server.channels()).hasSize(1);
            server.close();
            server.awaitClosed();
            client.closed().await();
            assertThatThrownBy(() -> client.send("down")).isInstanceOf(ConnectionClosedException.class);
        });
    }
}
