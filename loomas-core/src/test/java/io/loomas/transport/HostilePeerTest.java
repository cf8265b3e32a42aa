package io.loomas.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.runtime.Queue;
import io.loomas.transport.Fixtures.RawPeer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Peers that announce more than they send: memory must follow the bytes a peer really sent, and
 * the listener must keep serving a well-behaved client meanwhile.
 */
class HostilePeerTest {
    private static final TransportOptions OPTIONS = TransportOptions.DEFAULT;
    private static final int ATTACKERS = 50;
    private static final int ANNOUNCED = 64 << 20; // the default maximum frame size

    /** An echoing server that reports each connection's close cause (or a marker for an orderly close). */
    private static final class EchoServer {
        final Queue<Object> closes = new Queue<>();

        void accept(Connection c) {
            c.start(new FrameHandler() {
                @Override
                public void onFrame(byte[] payload) {
                    c.send(payload);
                }

                @Override
                public void onClose(Throwable cause) {
                    closes.offer(cause != null ? cause : "orderly");
                }
            });
        }
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Sends one frame on {@code good} and asserts its echo comes back within a second. */
    private static void assertAnswersWithinASecond(Connection good, Fixtures.Recorder echoes, int n) {
        long start = System.nanoTime();
        good.send(("ping " + n).getBytes(StandardCharsets.UTF_8));
        assertThat(echoes.next()).asString(StandardCharsets.UTF_8).isEqualTo("ping " + n);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"tcp", "unix", "tls"})
    void framesAnnouncedButNotSentCostNoMemoryAndOthersAreStillServed(String transport) throws IOException {
        EchoServer server = new EchoServer();
        Transport t = Fixtures.transport(transport);
        try (Listener listener = t.listen(Fixtures.freshAddress(transport), OPTIONS, server::accept)) {
            Fixtures.Recorder echoes = new Fixtures.Recorder();
            Connection good = t.connect(listener.address(), OPTIONS);
            good.start(echoes);
            assertAnswersWithinASecond(good, echoes, 0);
            long before = usedHeapAfterGc();
            List<RawPeer> attackers = new ArrayList<>();
            try {
                for (int i = 0; i < ATTACKERS; i++) {
                    RawPeer p = Fixtures.rawPeer(transport, listener.address());
                    attackers.add(p);
                    p.write(ByteBuffer.allocate(9).putInt(ANNOUNCED - 1).put(new byte[] {1, 2, 3, 4, 5}).array());
                }
                for (int i = 1; i <= 20; i++) {
                    assertAnswersWithinASecond(good, echoes, i);
                }
                long grown = usedHeapAfterGc() - before;
                // The old reader allocated each announced frame at once: 50 x 64 MiB.
                assertThat(grown).as("heap growth for %d connections announcing %d bytes each", ATTACKERS, ANNOUNCED)
                        .isLessThan(24L << 20);
            } finally {
                for (RawPeer p : attackers) {
                    p.close();
                }
            }
            // Each reader had the 5 bytes and no more when its peer vanished.
            for (int i = 0; i < ATTACKERS; i++) {
                assertThat(server.closes.take(Duration.ofSeconds(10))).asString()
                        .contains("ended inside a frame: got 5 of " + (ANNOUNCED - 1) + " bytes");
            }
            assertAnswersWithinASecond(good, echoes, 99);
            good.close();
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"tcp", "unix", "tls"})
    void aPeerThatStopsInsideAFrameIsCutOffAtTheFrameTimeout(String transport) throws Exception {
        EchoServer server = new EchoServer();
        TransportOptions options = OPTIONS.withFrameTimeout(Duration.ofMillis(300));
        Transport t = Fixtures.transport(transport);
        try (Listener listener = t.listen(Fixtures.freshAddress(transport), options, server::accept);
                RawPeer inPayload = Fixtures.rawPeer(transport, listener.address());
                RawPeer inHeader = Fixtures.rawPeer(transport, listener.address())) {
            long start = System.nanoTime();
            inPayload.write(ByteBuffer.allocate(9).putInt(99).put(new byte[] {1, 2, 3, 4, 5}).array());
            inHeader.write(new byte[] {0, 0});
            List<String> causes = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                causes.add(String.valueOf(server.closes.take(Duration.ofSeconds(10))));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(causes).anySatisfy(c -> assertThat(c)
                    .contains("did not arrive within the frame timeout of PT0.3S: got 5 of 99 bytes"));
            assertThat(causes).anySatisfy(c -> assertThat(c)
                    .contains("did not arrive within the frame timeout of PT0.3S: got 2 of its 4 header bytes"));
        }
    }

    /** The frame timeout bounds a frame, not the wait between frames: a co-simulation may pause for long. */
    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"tcp", "local"})
    void quietTimeBetweenFramesIsNotLimitedByTheFrameTimeout(String transport) throws Exception {
        EchoServer server = new EchoServer();
        TransportOptions options = OPTIONS.withFrameTimeout(Duration.ofMillis(100));
        Transport t = Fixtures.transport(transport);
        try (Listener listener = t.listen(Fixtures.freshAddress(transport), options, server::accept)) {
            Fixtures.Recorder echoes = new Fixtures.Recorder();
            Connection c = t.connect(listener.address(), options);
            c.start(echoes);
            assertAnswersWithinASecond(c, echoes, 1);
            // Five frame timeouts without a frame: the connection must not close meanwhile.
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> server.closes.take(Duration.ofMillis(500)))
                    .isInstanceOf(io.loomas.runtime.TimeoutException.class);
            assertAnswersWithinASecond(c, echoes, 2);
            assertThat(server.closes.isEmpty()).isTrue();
            c.close();
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"tcp", "unix", "local", "tls"})
    void anIdleTimeoutClosesAQuietConnectionInOrderAndSparesABusyOne(String transport) throws Exception {
        EchoServer server = new EchoServer();
        TransportOptions options = OPTIONS.withIdleTimeout(Duration.ofMillis(800));
        Transport t = Fixtures.transport(transport);
        try (Listener listener = t.listen(Fixtures.freshAddress(transport), options, server::accept)) {
            Fixtures.Recorder quietEnd = new Fixtures.Recorder();
            Connection quiet = t.connect(listener.address(), TransportOptions.DEFAULT);
            quiet.start(quietEnd);
            Fixtures.Recorder busyEnd = new Fixtures.Recorder();
            Connection busy = t.connect(listener.address(), TransportOptions.DEFAULT);
            busy.start(busyEnd);
            long start = System.nanoTime();
            // A frame each 100 ms for 2 s, two and a half idle timeouts; between frames, watch for
            // the busy connection's close, which must not come.
            for (int i = 0; i < 20; i++) {
                assertAnswersWithinASecond(busy, busyEnd, i);
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> busyEnd.closed.await(Duration.ofMillis(100)))
                        .as("the busy connection stays open").isInstanceOf(io.loomas.runtime.TimeoutException.class);
            }
            assertThat(quietEnd.closed.isDone()).as("the quiet connection was closed").isTrue();
            assertThat(quietEnd.awaitClose()).as("an orderly close").isNull();
            assertThat(server.closes.take(Duration.ofSeconds(1))).isEqualTo("orderly");
            assertThat(busyEnd.closed.isDone()).as("the busy connection is open").isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(2000));
            busy.close();
        }
    }

    @org.junit.jupiter.api.Test
    void theDefaultsBoundAFrameButNotTheWaitBetweenFrames() {
        assertThat(TransportOptions.DEFAULT.frameTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(TransportOptions.DEFAULT.idleTimeout()).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OPTIONS.withFrameTimeout(Duration.ZERO))
                .hasMessage("frameTimeout must be positive: PT0S (expected: > 0)");
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"tcp", "unix", "tls"})
    void aListenerKeepsAtMostMaxConnectionsOpenAndTakesMoreOnceOneEnds(String transport) throws Exception {
        EchoServer server = new EchoServer();
        TransportOptions options = OPTIONS.withMaxConnections(3);
        Transport t = Fixtures.transport(transport);
        try (Listener listener = t.listen(Fixtures.freshAddress(transport), options, server::accept)) {
            List<Connection> open = new ArrayList<>();
            List<Fixtures.Recorder> echoes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Fixtures.Recorder r = new Fixtures.Recorder();
                Connection c = t.connect(listener.address(), OPTIONS);
                c.start(r);
                assertAnswersWithinASecond(c, r, i);
                open.add(c);
                echoes.add(r);
            }
            Fixtures.Recorder refused = new Fixtures.Recorder();
            try {
                Connection fourth = t.connect(listener.address(), OPTIONS);
                fourth.start(refused);
                refused.closed.await(Duration.ofSeconds(5)); // the listener closed it at once
            } catch (IOException e) {
                assertThat(transport).as("only TLS learns it in connect, from the handshake").isEqualTo("tls");
            }
            open.get(0).close();
            assertThat(server.closes.take(Duration.ofSeconds(5))).isEqualTo("orderly");
            Fixtures.Recorder later = new Fixtures.Recorder();
            Connection fifth = t.connect(listener.address(), OPTIONS);
            fifth.start(later);
            assertAnswersWithinASecond(fifth, later, 5);
            assertAnswersWithinASecond(open.get(1), echoes.get(1), 6);
            fifth.close();
            open.forEach(Connection::close);
        }
    }

    /**
     * Regression: a listener that ran out of file descriptors ("Too many open files") stopped
     * accepting for good. Run in a child JVM with a limit of 256 descriptors: 300 clients use them
     * up; once they are gone, a new client is served again.
     */
    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.condition.EnabledOnOs(org.junit.jupiter.api.condition.OS.LINUX)
    void aListenerOutOfFileDescriptorsBacksOffAndAcceptsAgain() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder("bash", "-c", "ulimit -n 256 && exec \"$0\" -cp \"$1\" "
                + EchoServerMain.class.getName(), java, System.getProperty("java.class.path"))
                .redirectErrorStream(true).start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(
                    new java.io.InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder log = new StringBuilder();
            String line;
            int port = -1;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("PORT ")) {
                    port = Integer.parseInt(line.substring(5).trim());
                    break;
                }
                log.append(line).append('\n');
            }
            assertThat(port).as("the child's port; its output: %s", log).isPositive();
            Thread drain = Thread.ofVirtual().start(() -> out.lines().forEach(l -> {
                synchronized (log) {
                    log.append(l).append('\n');
                }
            }));
            Address address = Address.tcp("127.0.0.1", port);
            List<java.net.Socket> flood = new ArrayList<>();
            int timedOut = 0;
            for (int i = 0; i < 300 && timedOut < 3; i++) {
                java.net.Socket s = new java.net.Socket();
                try {
                    s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 300);
                    flood.add(s);
                    timedOut = 0;
                } catch (IOException e) {
                    s.close(); // the backlog is full: three in a row are enough
                    timedOut++;
                }
            }
            for (java.net.Socket s : flood) {
                s.close();
            }
            // Served again within a few back-off rounds (at most 1 s each).
            Connection good = null;
            Fixtures.Recorder echoes = new Fixtures.Recorder();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (good == null) {
                try {
                    good = io.loomas.transport.internal.Connector.connect(address, null, OPTIONS, Duration.ofSeconds(5));
                } catch (IOException e) {
                    assertThat(System.nanoTime()).as("reconnect attempts; the child said: %s", log).isLessThan(deadline);
                }
            }
            good.start(echoes);
            good.send("back".getBytes(StandardCharsets.UTF_8));
            assertThat(echoes.next()).asString(StandardCharsets.UTF_8).isEqualTo("back");
            good.close();
            child.getOutputStream().close();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            drain.join();
            String said = log.toString();
            assertThat(said).contains("cannot accept connections").contains("Too many open files");
            assertThat(said.split("cannot accept connections", -1)).as("warned once per episode").hasSizeLessThanOrEqualTo(3);
        } finally {
            child.destroyForcibly();
        }
    }
}
