package io.loomas.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.channel.Channel;
import io.loomas.channel.ConnectionHandler;
import io.loomas.channel.RemoteException;
import io.loomas.channel.Request;
import io.loomas.channel.Server;
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
import java.util.function.Function;

/** The channel layer's contract (loomas-core's ChannelTest) on the kit: every transport, every codec. */
class ChannelTest {

    /** A handler that answers every request with what {@code reply} makes of it, until the channel closes. */
    static ConnectionHandler serving(Function<Object, Object> reply) {
        return channel -> {
            try {
                while (true) {
                    Request r = channel.recv();
                    r.reply(reply.apply(r.content()));
                }
            } catch (ConnectionClosedException e) {
                // the client is gone
            }
        };
    }

    @TransportTest
    void aRequestGetsItsReply(TransportContext ctx) throws Exception {
        Channel client = ctx.startServerAndConnect(channel -> {
            Request r = channel.recv();
            assertThat(r.content()).isEqualTo("ohai");
            r.reply("cya");
        });
        assertThat(client.send("ohai")).isEqualTo("cya");
    }

    @TransportTest
    void structuredContentSurvivesTheRoundTrip(TransportContext ctx) throws Exception {
        Map<String, Object> content = Map.of("name", "cattle-1234", "values", List.of(1, 2.5, "x", true),
                "nested", Map.of("big", Long.MAX_VALUE));
        assertThat(ctx.startServerAndConnect(serving(c -> c)).send(content)).isEqualTo(content);
    }

    @TransportTest
    void bothPeersSendRequestsOnOneChannel(TransportContext ctx, Loop loop) throws Exception {
        Channel client = ctx.startServerAndConnect(channel -> {
            Request r = channel.recv();
            Object answer = channel.send("server asks " + r.content()); // the client answers while its own call waits
            r.reply("server got " + answer);
        });
        Task<Void> answering = loop.spawn("client-receiver", () -> {
            Request r = client.recv();
            r.reply("client answers " + r.content());
            return null;
        });
        assertThat(client.send("hi")).isEqualTo("server got client answers server asks hi");
        answering.await();
    }

    @TransportTest
    void thousandConcurrentSendsEachGetTheirOwnReply(TransportContext ctx, Loop loop) throws Exception {
        Channel client = ctx.startServerAndConnect(serving(c -> "echo " + c));
        List<Task<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String msg = "m" + i;
            calls.add(loop.spawn(() -> client.send(msg)));
        }
        List<Object> replies = Future.all(calls).await();
        for (int i = 0; i < 1000; i++) {
            assertThat(replies.get(i)).isEqualTo("echo m" + i);
        }
    }

    @TransportTest
    void repliesOutOfOrderStillReachTheirCallers(TransportContext ctx, Loop loop) throws Exception {
        int n = 20;
        Channel client = ctx.startServerAndConnect(channel -> {
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
        });
        List<Task<Object>> calls = new ArrayList<>();
        List<String> completionOrder = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            String msg = "q" + i;
            calls.add(loop.spawn(() -> {
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
    }

    @TransportTest
    void aFailureReplyBecomesARemoteExceptionWithOriginTypeAndText(TransportContext ctx) throws Exception {
        Channel client = ctx.startServerAndConnect(channel -> {
            Request r = channel.recv();
            r.fail(new IllegalArgumentException("no such cattle: " + r.content()));
        });
        assertThatThrownBy(() -> client.send("cattle-7")).isInstanceOfSatisfying(RemoteException.class, e -> {
            assertThat(e.origin()).isEqualTo(client.peerAddress().toString());
            assertThat(e.remoteType()).isEqualTo("java.lang.IllegalArgumentException");
            assertThat(e.remoteMessage()).isEqualTo("no such cattle: cattle-7");
            assertThat(e.remoteText()).contains("\tat io.loomas.junit.ChannelTest");
            assertThat(e.getMessage())
                    .startsWith("remote failure from " + client.peerAddress()
                            + ": java.lang.IllegalArgumentException: no such cattle: cattle-7")
                    .contains("Remote trace:");
            assertThat(e.getMessage().lines().count()).isLessThan(15);
        });
        assertThat(client.isOpen()).isTrue();
    }

    @TransportTest
    void aReplyThatCannotBeEncodedTurnsIntoAFailureReply(TransportContext ctx) throws Exception {
        Channel client = ctx.startServerAndConnect(channel -> {
            Request r = channel.recv();
            r.reply(new Object()); // no codec can encode a plain Object
            channel.recv().reply("still serving");
        });
        assertThatThrownBy(() -> client.send("x"))
                .isInstanceOf(RemoteException.class)
                .hasMessageContaining(CodecException.class.getName())
                .hasMessageContaining("cannot encode value of type java.lang.Object");
        assertThat(client.send("y")).isEqualTo("still serving");
    }

    @TransportTest
    void contentThatCannotBeEncodedFailsTheSenderAndSendsNothing(TransportContext ctx) throws Exception {
        Channel client = ctx.startServerAndConnect(serving(c -> c));
        assertThatThrownBy(() -> client.send(new Object())).isInstanceOf(CodecException.class);
        assertThat(client.send("fine")).isEqualTo("fine");
    }

    @TransportTest
    void closingFailsPendingSendsAndTheReceiverAndLaterCallsFailAtOnce(TransportContext ctx, Loop loop) throws Exception {
        Event requestArrived = new Event();
        Channel client = ctx.startServerAndConnect(channel -> {
            channel.recv();
            requestArrived.set(); // never answered
            try {
                channel.recv();
            } catch (ConnectionClosedException e) {
                // expected once the client closes
            }
        });
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
    }

    @TransportTest
    void thePeerClosingFailsPendingSends(TransportContext ctx) throws Exception {
        Channel client = ctx.startServerAndConnect(channel -> {
            channel.recv();
            channel.close(); // hang up instead of answering
        });
        assertThatThrownBy(() -> client.send("hello?"))
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessageContaining("closed by the peer");
        client.closed().await();
        assertThatThrownBy(() -> client.send("again")).isInstanceOf(ConnectionClosedException.class);
    }

    @TransportTest
    void aTimedOutSendThrowsAndItsLateReplyIsDropped(TransportContext ctx) throws Exception {
        Promise<Void> answerNow = new Promise<>();
        Channel client = ctx.startServerAndConnect(channel -> {
            Request slow = channel.recv();
            answerNow.await();
            slow.reply("too late");
            channel.recv().reply("on time");
        });
        assertThatThrownBy(() -> client.send("slow", Duration.ofMillis(50))).isInstanceOf(TimeoutException.class);
        answerNow.complete(null);
        // The late reply is dropped; the connection lives on and the next call gets its own reply.
        assertThat(client.send("next", Duration.ofSeconds(10))).isEqualTo("on time");
    }

    @TransportTest
    void aSecondConcurrentReceiverIsAnError(TransportContext ctx, Loop loop) throws Exception {
        Channel client = ctx.startServerAndConnect(serving(c -> c));
        Task<Request> first = loop.spawn(client::recv);
        Loop.yieldNow(); // let it start waiting
        assertThatThrownBy(client::recv).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("one receiver at a time");
        first.cancel();
    }

    @TransportTest
    void aRequestIsAnsweredOnlyOnce(TransportContext ctx) throws Exception {
        Promise<Throwable> second = new Promise<>();
        Channel client = ctx.startServerAndConnect(channel -> {
            Request r = channel.recv();
            r.reply(1);
            try {
                r.reply(2);
            } catch (IllegalStateException e) {
                second.complete(e);
            }
        });
        assertThat(client.send("x")).isEqualTo(1);
        assertThat(second.await()).hasMessageContaining("was answered already");
    }

    @TransportTest
    void closingTheServerClosesItsChannelsAndHandlers(TransportContext ctx) throws Exception {
        Server server = ctx.startServer(serving(c -> c));
        Channel client = ctx.connect();
        assertThat(client.send("up")).isEqualTo("up");
        assertThat(server.channels()).hasSize(1);
        server.close();
        server.awaitClosed();
        client.closed().await();
        assertThatThrownBy(() -> client.send("down")).isInstanceOf(ConnectionClosedException.class);
    }
}
