package io.loomas.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.channel.Channel;
import io.loomas.channel.ChannelOptions;
import io.loomas.channel.Channels;
import io.loomas.channel.Request;
import io.loomas.channel.Server;
import io.loomas.runtime.CancelledException;
import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Promise;
import io.loomas.runtime.Queue;
import io.loomas.runtime.Task;
import io.loomas.runtime.TimeoutException;
import io.loomas.transport.Address;
import io.loomas.transport.Connection;
import io.loomas.transport.ConnectionClosedException;
import io.loomas.transport.FrameHandler;
import io.loomas.transport.Listener;
import io.loomas.transport.ProtocolException;
import io.loomas.transport.TransportOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The simulated network held to the promises of the real transports' contract tests (loomas-core's
 * {@code CloseTest}, {@code OrderingTest}, {@code ListenerTest}, {@code FramingTest}): frames arrive
 * whole, once and in order; a close delivers what was sent before it, ends only this side's
 * sending, and calls {@code onClose} once on each end; sends after it fail. Each case runs on
 * several seeds, so on the latency profiles they pick (uniform, exponential, long tail).
 */
class SimNetworkContractTest {
    private static final TransportOptions OPTIONS = TransportOptions.DEFAULT;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 8);
    }

    /** Keeps every frame and the close, for a task of the simulation to await. */
    static class Recorder implements FrameHandler {
        final Queue<byte[]> frames = new Queue<>();
        final AtomicInteger closes = new AtomicInteger();
        final Promise<Throwable> closed = new Promise<>();

        @Override
        public void onFrame(byte[] payload) {
            frames.offer(payload);
        }

        @Override
        public void onClose(Throwable cause) {
            closes.incrementAndGet();
            closed.complete(cause);
        }

        byte[] next() {
            return frames.take(PATIENCE);
        }

        Throwable awaitClose() {
            return closed.await(PATIENCE);
        }
    }

    record Pair(Listener listener, Connection client, Connection server) {}

    /** Node "b" listens, node "a" connects; both ends start with the handlers. */
    static Pair connect(Simulation sim, TransportOptions options, FrameHandler client, FrameHandler server)
            throws IOException {
        Promise<Connection> accepted = new Promise<>();
        Listener listener = sim.network().endpoint("b").listen(Address.local("b"), options, c -> {
            c.start(server);
            accepted.complete(c);
        });
        Connection c = sim.network().endpoint("a").connect(Address.local("b"), options);
        c.start(client);
        return new Pair(listener, c, accepted.await());
    }

    static byte[] numbered(int n, int size) {
        byte[] p = new byte[size];
        ByteBuffer.wrap(p).putInt(n);
        for (int i = 4; i < size; i++) {
            p[i] = (byte) (n + i);
        }
        return p;
    }

    static int numberOf(byte[] frame) {
        return ByteBuffer.wrap(frame).getInt();
    }

    /** Runs {@code body} as the main task of a simulation with {@code seed}. */
    static void simulate(long seed, SimBody body) {
        try (Simulation sim = Simulation.withSeed(seed)) {
            sim.run(() -> {
                body.run(sim);
                return null;
            });
        }
    }

    interface SimBody {
        void run(Simulation sim) throws Exception;
    }

    @ParameterizedTest(name = "[seed={0}]")
    @MethodSource("seeds")
    void framesArriveWholeOnceAndInOrder(long seed) {
        simulate(seed, sim -> {
            Recorder server = new Recorder();
            Pair pair = connect(sim, OPTIONS, new Recorder(), server);
            int n = 2000;
            for (int i = 0; i < n; i++) {
                pair.client().send(numbered(i, 4 + i % 97));
                if (i % 100 == 0) {
                    sim.clock().sleep(Duration.ofMillis(1)); // later frames overtake nothing either
                }
            }
            for (int i = 0; i < n; i++) {
                assertThat(server.next()).as("frame #%d", i).isEqualTo(numbered(i, 4 + i % 97));
            }
            assertThat(server.frames.isEmpty()).isTrue();
        });
    }

    @ParameterizedTest(name = "[seed={0}]")
    @MethodSource("seeds")
    void framesFromSeveralTasksEachArriveInTheirSendersOrder(long seed) {
        simulate(seed, sim -> {
            Recorder server = new Recorder();
            Pair pair = connect(sim, OPTIONS, new Recorder(), server);
            int senders = 6;
            int perSender = 100;
            List<Task<Void>> tasks = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int sender = s;
                tasks.add(Loop.current().spawn("sender-" + s, () -> {
                    for (int i = 0; i < perSender; i++) {
                        pair.client().send(numbered(sender * 10_000 + i, 16));
                        sim.clock().sleep(Duration.ofMillis(sim.random().nextInt(3)));
                    }
                    return null;
                }));
            }
            tasks.forEach(Task::await);
            int[] next = new int[senders];
            for (int i = 0; i < senders * perSender; i++) {
                int number = numberOf(server.next());
                int sender = number / 10_000;
                assertThat(number % 10_000).as("next frame of sender %d", sender).isEqualTo(next[sender]++);
            }
        });
    }

    @ParameterizedTest(name = "[seed={0}]")
    @MethodSource("seeds")
    void closeDeliversEverythingSentBeforeItThenAnOrderlyEnd(long seed) {
        simulate(seed, sim -> {
            Recorder client = new Recorder();
            Recorder server = new Recorder();
            Pair pair = connect(sim, OPTIONS, client, server);
            for (int i = 0; i < 500; i++) {
                pair.client().send(numbered(i, 100 + i % 200));
            }
            pair.client().close();
            for (int i = 0; i < 500; i++) {
                assertThat(server.next()).isEqualTo(numbered(i, 100 + i % 200));
            }
            assertThat(server.awaitClose()).isNull();
            assertThat(client.awaitClose()).isNull();
            assertThat(server.frames.isEmpty()).isTrue();
        });
    }

    /** As on the real transports: a close ends this side's sending only. */
    @ParameterizedTest(name = "[seed={0}]")
    @MethodSource("seeds")
    void framesThePeerSentBeforeItSawTheCloseStillArrive(long seed) {
        simulate(seed, sim -> {
            Recorder client = new Recorder();
            Recorder server = new Recorder();
            Pair pair = connect(sim, OPTIONS, client, server);
            Task<Integer> sender = Loop.current().spawn("server-sender", () -> {
                int i = 0;
                try {
                    while (true) {
                        pair.server().send(numbered(i, 64));
                        i++;
                        sim.clock().sleep(Duration.ofMillis(1));
                    }
                } catch (ConnectionClosedException e) {
                    return i; // the server saw the client's end
                }
            });
            assertThat(numberOf(client.next())).isZero();
            pair.client().close();
            assertThat(client.awaitClose()).isNull();
            int sent = sender.await();
            assertThat(1 + client.frames.size()).as("frames received of %d sent", sent).isEqualTo(sent);
            for (int i = 1; i < sent; i++) {
                assertThat(numberOf(client.next())).isEqualTo(i);
            }
            assertThat(server.awaitClose()).isNull();
        });
    }

    @ParameterizedTest(name = "[seed={0}]")
    @MethodSource("seeds")
    void anOrderlyCloseCallsOnCloseOnceOnBothEndsWithNull(long seed) {
        simulate(seed, sim -> {
            Recorder client = new Recorder();
            Recorder server = new Recorder();
            Pair pair = connect(sim, OPTIONS, client, server);
            pair.client().close();
            assertThat(pair.client().isOpen()).isFalse();
            assertThat(client.awaitClose()).isNull();
            assertThat(server.awaitClose()).isNull();
            pair.client().close();
            pair.server().close();
            sim.clock().sleep(Duration.ofSeconds(30)); // past every close grace
            assertThat(pair.server().isOpen()).isFalse();
            assertThat(client.closes).hasValue(1);
            assertThat(server.closes).hasValue(1);
        });
    }

    @ParameterizedTest(name = "[seed={0}]")
    @MethodSource("seeds")
    void bothEndsClosingAtOnceCallsOnCloseOnceEach(long seed) {
        simulate(seed, sim -> {
            Recorder client = new Recorder();
            Recorder server = new Recorder();
            Pair pair = connect(sim, OPTIONS, client, server);
            pair.server().close();
            pair.client().close();
            assertThat(client.awaitClose()).isNull();
            assertThat(server.awaitClose()).isNull();
            sim.clock().sleep(Duration.ofSeconds(30));
            assertThat(client.closes).hasValue(1);
            assertThat(server.closes).hasValue(1);
        });
    }

    @ParameterizedTest(name = "[seed={0}]")
    @MethodSource("seeds")
    void sendsAfterEitherSideClosedFail(long seed) {
        simulate(seed, sim -> {
            Recorder server = new Recorder();
            Pair pair = connect(sim, OPTIONS, new Recorder(), server);
            pair.client().close();
            assertThatThrownBy(() -> pair.client().send(new byte[] {1}))
                    .isInstanceOf(ConnectionClosedException.class).hasMessageContaining("is closed");
            assertThat(server.awaitClose()).isNull();
            assertThatThrownBy(() -> pair.server().send(new byte[] {1}))
                    .isInstanceOf(ConnectionClosedException.class);
        });
    }

    @ParameterizedTest(name = "[seed={0}]")
    @MethodSource("seeds")
    void closingBeforeStartDoesNotHangAndThePeerSeesTheEnd(long seed) {
        simulate(seed, sim -> {
            Recorder server = new Recorder();
            sim.network().endpoint("b").listen(Address.local("b"), OPTIONS, c -> c.start(server));
            Connection client = sim.network().endpoint("a").connect(Address.local("b"), OPTIONS);
            client.close();
            assertThat(client.isOpen()).isFalse();
            assertThat(server.awaitClose()).isNull();
            assertThatThrownBy(() -> client.send(new byte[] {1})).isInstanceOf(ConnectionClosedException.class);
        });
    }

    /** A server that starts its connection later gets what came before, in order, as a socket buffers it. */
    @ParameterizedTest(name = "[seed={0}]")
    @MethodSource("seeds")
    void framesThatArriveBeforeStartWaitForIt(long seed) {
        simulate(seed, sim -> {
            Promise<Connection> accepted = new Promise<>();
            sim.network().endpoint("b").listen(Address.local("b"), OPTIONS, accepted::complete);
            Connection client = sim.network().endpoint("a").connect(Address.local("b"), OPTIONS);
            client.start(new Recorder());
            for (int i = 0; i < 20; i++) {
                client.send(numbered(i, 8));
            }
            client.close();
            sim.clock().sleep(Duration.ofSeconds(5)); // everything, the end too, has arrived
            Recorder server = new Recorder();
            accepted.await().start(server);
            for (int i = 0; i < 20; i++) {
                assertThat(numberOf(server.next())).isEqualTo(i);
            }
            assertThat(server.awaitClose()).isNull();
        });
    }

    @ParameterizedTest(name = "[seed={0}]")
    @MethodSource("seeds")
    void sendingAPayloadOverTheMaximumFailsTheSenderNamingBothSizes(long seed) {
        simulate(seed, sim -> {
            TransportOptions small = OPTIONS.withMaxFrameSize(1000);
            Recorder server = new Recorder();
            Pair pair = connect(sim, small, new Recorder(), server);
            assertThatThrownBy(() -> pair.client().send(new byte[1001]))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("1001 bytes")
                    .hasMessageContaining("<= 1000 bytes");
            assertThat(pair.client().isOpen()).isTrue();
            pair.client().send(new byte[1000]);
            assertThat(server.next()).hasSize(1000);
        });
    }

    /** The peer's answer to a close is held by a partition: the close grace ends the connection. */
    @ParameterizedTest(name = "[seed={0}]")
    @MethodSource("seeds")
    void aCloseThePeerNeverAnswersEndsAfterTheCloseGrace(long seed) {
        simulate(seed, sim -> {
            Recorder client = new Recorder();
            Pair pair = connect(sim, OPTIONS.withCloseGrace(Duration.ofSeconds(3)), client, new Recorder());
            sim.network().partition("a", "b");
            Duration closedAt = sim.clock().now();
            pair.client().close();
            assertThat(client.awaitClose()).isNull();
            assertThat(sim.clock().now()).isEqualTo(closedAt.plus(Duration.ofSeconds(3)));
            assertThat(client.closes).hasValue(1);
            sim.network().healAll();
        });
    }

    @ParameterizedTest(name = "[seed={0}]")
    @MethodSource("seeds")
    void aResetEndsBothSidesWithTheCauseAndLaterSendsNameIt(long seed) {
        simulate(seed, sim -> {
            Recorder client = new Recorder();
            Recorder server = new Recorder();
            Pair pair = connect(sim, OPTIONS, client, server);
            sim.network().reset("a", "b");
            assertThat(client.awaitClose()).isInstanceOf(IOException.class).hasMessageContaining("reset");
            assertThat(server.awaitClose()).isInstanceOf(IOException.class).hasMessageContaining("reset");
            assertThatThrownBy(() -> pair.client().send(new byte[] {1}))
                    .isInstanceOf(ConnectionClosedException.class).hasMessageContaining("after an error")
                    .hasMessageContaining("reset");
        });
    }

    /** As a real reader does, a handler that throws ends its connection with that failure as cause. */
    @ParameterizedTest(name = "[seed={0}]")
    @MethodSource("seeds")
    void aHandlerThatThrowsEndsTheConnectionNamingTheFailure(long seed) {
        simulate(seed, sim -> {
            Recorder server = new Recorder() {
                @Override
                public void onFrame(byte[] payload) {
                    throw new IllegalStateException("handler broke on frame " + numberOf(payload));
                }
            };
            Recorder client = new Recorder();
            Pair pair = connect(sim, OPTIONS, client, server);
            pair.client().send(numbered(7, 8));
            assertThat(server.awaitClose()).hasMessageContaining("handler broke on frame 7")
                    .hasRootCauseInstanceOf(IllegalStateException.class);
            assertThat(client.awaitClose()).isInstanceOf(IOException.class);
        });
    }

    @ParameterizedTest(name = "[seed={0}]")
    @MethodSource("seeds")
    void aClosedListenerRefusesConnectsKeepsItsConnectionsAndTheAddressCanBeReused(long seed) {
        simulate(seed, sim -> {
            Recorder server = new Recorder();
            Pair pair = connect(sim, OPTIONS, new Recorder(), server);
            pair.listener().close();
            pair.listener().close();
            assertThatThrownBy(() -> sim.network().endpoint("a").connect(Address.local("b"), OPTIONS))
                    .isInstanceOf(IOException.class).hasMessageContaining("refused");
            pair.client().send(numbered(1, 8));
            assertThat(numberOf(server.next())).isEqualTo(1);
            Recorder second = new Recorder();
            sim.network().endpoint("b").listen(Address.local("b"), OPTIONS, c -> c.start(second));
            Connection again = sim.network().endpoint("a").connect(Address.local("b"), OPTIONS);
            again.start(new Recorder());
            again.send(numbered(2, 8));
            assertThat(numberOf(second.next())).isEqualTo(2);
        });
    }

    private static final int WRITE_BUFFER = 64 * 1024;
    private static final int FRAME = 4096;

    /** Starts a task that sends numbered frames until its send fails; {@code attempted} counts them. */
    static Task<Integer> flood(Connection connection, AtomicInteger attempted) {
        return Loop.current().spawn("flood", () -> {
            int i = 0;
            try {
                while (true) {
                    attempted.set(i + 1);
                    connection.send(numbered(i, FRAME));
                    i++;
                }
            } catch (ConnectionClosedException e) {
                return i;
            }
        });
    }

    /** As on the real transports: a peer that stops reading makes the sender wait once its buffer is full. */
    @ParameterizedTest(name = "[seed={0}]")
    @MethodSource("seeds")
    void aSenderWaitsWhileThePeerDoesNotReadAndNothingIsLost(long seed) {
        simulate(seed, sim -> {
            Recorder server = new Recorder();
            Pair pair = connect(sim, OPTIONS.withWriteBufferSize(WRITE_BUFFER), new Recorder(), server);
            pair.server().pauseReading();
            AtomicInteger attempted = new AtomicInteger();
            Task<Integer> sender = flood(pair.client(), attempted);
            sim.clock().sleep(Duration.ofSeconds(10));
            int blockedAt = attempted.get();
            int bufferFrames = WRITE_BUFFER / (FRAME + 4);
            assertThat(sender.isDone()).isFalse();
            assertThat(blockedAt).as("frames handed to send while the peer does not read")
                    .isBetween(bufferFrames, bufferFrames + 2);
            assertThat(server.frames.isEmpty()).isTrue();
            sim.clock().sleep(Duration.ofSeconds(10));
            assertThat(attempted.get()).as("no progress while paused").isEqualTo(blockedAt);
            pair.server().resumeReading();
            for (int i = 0; i < 3 * blockedAt; i++) {
                assertThat(numberOf(server.next())).as("frame #%d", i).isEqualTo(i);
            }
            pair.client().close();
            int sent = sender.await();
            for (int i = 3 * blockedAt; i < sent; i++) {
                assertThat(numberOf(server.next())).as("frame #%d", i).isEqualTo(i);
            }
            assertThat(server.awaitClose()).isNull();
        });
    }

    @ParameterizedTest(name = "[seed={0}]")
    @MethodSource("seeds")
    void closingWakesASenderWaitingForRoomAndASendTimeoutQueuesNothing(long seed) {
        simulate(seed, sim -> {
            Recorder server = new Recorder();
            Pair pair = connect(sim, OPTIONS.withWriteBufferSize(WRITE_BUFFER), new Recorder(), server);
            pair.server().pauseReading();
            AtomicInteger attempted = new AtomicInteger();
            Task<Integer> sender = flood(pair.client(), attempted);
            sim.clock().sleep(Duration.ofSeconds(1));
            assertThatThrownBy(() -> pair.client().send(new byte[] {9}, Duration.ofMillis(250)))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("waiting for room to send");
            pair.client().close();
            int sent = sender.await();
            pair.server().resumeReading();
            for (int i = 0; i < sent; i++) {
                assertThat(numberOf(server.next())).isEqualTo(i);
            }
            assertThat(server.awaitClose()).isNull();
            assertThat(server.frames.isEmpty()).as("the timed-out frame was never sent").isTrue();
        });
    }

    @ParameterizedTest(name = "[seed={0}]")
    @MethodSource("seeds")
    void aSenderCancelledWhileWaitingForRoomQueuesNothing(long seed) {
        simulate(seed, sim -> {
            Recorder server = new Recorder();
            Pair pair = connect(sim, OPTIONS.withWriteBufferSize(WRITE_BUFFER), new Recorder(), server);
            pair.server().pauseReading();
            AtomicInteger attempted = new AtomicInteger();
            Task<Integer> sender = flood(pair.client(), attempted);
            sim.clock().sleep(Duration.ofSeconds(1));
            int blockedAt = attempted.get(); // frame blockedAt - 1 waits for room
            sender.cancel();
            assertThatThrownBy(sender::await).isInstanceOf(CancelledException.class);
            pair.server().resumeReading();
            pair.client().send(numbered(-1, 8));
            for (int i = 0; i < blockedAt - 1; i++) {
                assertThat(numberOf(server.next())).isEqualTo(i);
            }
            assertThat(numberOf(server.next())).as("the frame after the cancelled one").isEqualTo(-1);
        });
    }

    /**
     * A channel whose receiver falls behind holds its peer back on the simulated network too: the
     * full inbox pauses the connection, and the client's requests wait in send instead of piling
     * up at the server.
     */
    @ParameterizedTest(name = "[seed={0}]")
    @MethodSource("seeds")
    void aChannelWhoseReceiverFallsBehindSlowsItsPeerDown(long seed) {
        simulate(seed, sim -> {
            ChannelOptions b = ChannelOptions.DEFAULT.withTransport(sim.network().endpoint("b")).withInboxCapacity(4);
            ChannelOptions a = ChannelOptions.DEFAULT.withTransport(sim.network().endpoint("a"));
            ChannelOptions small = a.withTransportOptions(a.transportOptions().withWriteBufferSize(4096));
            Promise<Void> startReading = new Promise<>();
            Server server = Channels.startServer(Address.local("b"), channel -> {
                startReading.await();
                try {
                    while (true) {
                        Request r = channel.recv();
                        r.reply(r.content());
                    }
                } catch (ConnectionClosedException e) {
                    // the client is done
                }
            }, b);
            Channel channel = Channels.connect(server.address(), small);
            AtomicInteger queued = new AtomicInteger();
            List<Task<Object>> calls = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                int n = i;
                calls.add(Loop.current().spawn("call-" + i, () -> {
                    Future<Object> reply = channel.request("request " + n + " " + "x".repeat(100));
                    queued.incrementAndGet();
                    return reply.await();
                }));
            }
            sim.clock().sleep(Duration.ofSeconds(10));
            // The inbox (4 and the one that paused it) plus a write buffer's worth in flight, not 2000.
            assertThat(queued.get()).as("requests sent while the server does not receive").isBetween(5, 60);
            startReading.complete(null);
            for (int i = 0; i < calls.size(); i++) {
                assertThat(calls.get(i).await()).isEqualTo("request " + i + " " + "x".repeat(100));
            }
            channel.close();
            server.close();
            server.awaitClosed();
        });
    }

    /**
     * Regression: a heal gave held frames a fresh latency, so a frame still in flight overtook them
     * (F1 held, F2 sent, heal: [F2, F1]), and so could the end of stream, losing them.
     */
    @ParameterizedTest(name = "[seed={0}]")
    @MethodSource("seeds")
    void framesHeldByAPartitionKeepTheirOrderWhenItHeals(long seed) {
        simulate(seed, sim -> {
            sim.network().setLatency(Latency.fixed(Duration.ofMillis(10)));
            Recorder server = new Recorder();
            Pair pair = connect(sim, OPTIONS, new Recorder(), server);
            sim.network().partition("a", "b");
            pair.client().send(numbered(1, 8)); // arrives at 10 ms, held
            sim.clock().sleep(Duration.ofMillis(11));
            pair.client().send(numbered(2, 8)); // in flight until 21 ms
            sim.clock().sleep(Duration.ofMillis(1));
            sim.network().heal("a", "b"); // at 12 ms
            pair.client().send(numbered(3, 8));
            pair.client().close(); // the end of stream right behind
            for (int i = 1; i <= 3; i++) {
                assertThat(numberOf(server.next())).as("frame #%d", i).isEqualTo(i);
            }
            assertThat(server.awaitClose()).isNull();
        });
    }

    /** A partition that comes back before the held frames went on holds them again, still in order. */
    @ParameterizedTest(name = "[seed={0}]")
    @MethodSource("seeds")
    void flappingPartitionsKeepTheOrder(long seed) {
        simulate(seed, sim -> {
            Recorder server = new Recorder();
            Pair pair = connect(sim, OPTIONS, new Recorder(), server);
            for (int i = 0; i < 300; i++) {
                pair.client().send(numbered(i, 8));
                switch (sim.random().nextInt(6)) {
                    case 0 -> sim.network().partition("a", "b");
                    case 1 -> sim.network().heal("a", "b");
                    default -> { }
                }
                sim.clock().sleep(Duration.ofMillis(sim.random().nextInt(4)));
            }
            sim.network().healAll();
            for (int i = 0; i < 300; i++) {
                assertThat(numberOf(server.next())).as("frame #%d", i).isEqualTo(i);
            }
        });
    }

    /** All of the above at once, twice with one seed: the traces match event for event. */
    @ParameterizedTest(name = "[seed={0}]")
    @MethodSource("seeds")
    void closesResetsAndPartitionsReplayExactly(long seed) {
        Simulation.checkDeterminism(seed, sim -> sim.run(() -> {
            List<Pair> pairs = new ArrayList<>();
            Recorder server = new Recorder();
            sim.network().endpoint("b").listen(Address.local("b"), OPTIONS, c -> c.start(server));
            for (int i = 0; i < 6; i++) {
                Connection c = sim.network().endpoint("a").connect(Address.local("b"), OPTIONS);
                c.start(new Recorder());
                pairs.add(new Pair(null, c, null));
            }
            for (int round = 0; round < 50; round++) {
                Connection c = pairs.get(sim.random().nextInt(pairs.size())).client();
                switch (sim.random().nextInt(10)) {
                    case 0 -> c.close();
                    case 1 -> sim.network().partition("a", "b");
                    case 2 -> sim.network().healAll();
                    default -> {
                        if (c.isOpen()) {
                            c.send(numbered(round, 32));
                        }
                    }
                }
                sim.clock().sleep(Duration.ofMillis(sim.random().nextInt(20)));
            }
            sim.network().healAll();
            pairs.forEach(p -> p.client().close());
            sim.clock().sleep(Duration.ofSeconds(20));
            return null;
        }));
    }
}
