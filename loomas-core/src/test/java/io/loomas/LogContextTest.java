package io.loomas;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.loomas.channel.ChannelOptions;
import io.loomas.rpc.Caller;
import io.loomas.rpc.Expose;
import io.loomas.rpc.Rpc;
import io.loomas.rpc.RpcConnection;
import io.loomas.rpc.RpcOptions;
import io.loomas.rpc.RpcServer;
import io.loomas.runtime.Loop;
import io.loomas.runtime.LoopOptions;
import io.loomas.runtime.MdcKeys;
import io.loomas.testing.TransportCase;
import io.loomas.transport.Address;
import io.loomas.transport.TransportOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The loop, task and peer in the MDC of log lines (the {@link MdcKeys}): a user's own lines in
 * tasks and exposed methods, and loomas' lines from the threads that are not tasks (a connection's
 * reader, the clock's timers, the slow-task watchdog, a failure reported at the loop's close).
 */
class LogContextTest {
    private static final org.slf4j.Logger userLog = LoggerFactory.getLogger("test.mdc");

    /** Every event of loomas and of this test, with the MDC it was logged with. */
    private final Captured captured = new Captured();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger loomas = (Logger) LoggerFactory.getLogger("io.loomas");
    private final Logger test = (Logger) LoggerFactory.getLogger("test.mdc");
    private Level loomasLevel;

    static final class Captured extends AppenderBase<ILoggingEvent> {
        private final List<ILoggingEvent> events = new ArrayList<>();

        @Override
        protected synchronized void append(ILoggingEvent e) {
            e.prepareForDeferredProcessing();
            events.add(e);
            notifyAll();
        }

        /** Waits (at most 10 s) for an event that {@code matches}, and returns it. */
        synchronized ILoggingEvent await(String what, Predicate<ILoggingEvent> matches) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                for (ILoggingEvent e : events) {
                    if (matches.test(e)) {
                        return e;
                    }
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no log line " + what + " within 10 s; lines: " + events.stream()
                            .map(e -> e.getLoggerName() + " " + e.getFormattedMessage() + " " + e.getMDCPropertyMap())
                            .toList());
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        ILoggingEvent awaitMessage(String part) throws InterruptedException {
            return await("containing '" + part + "'", e -> e.getFormattedMessage().contains(part));
        }
    }

    @BeforeEach
    void capture() {
        captured.setContext(root.getLoggerContext());
        captured.start();
        root.addAppender(captured);
        loomasLevel = loomas.getLevel();
        loomas.setLevel(Level.DEBUG); // every loomas line, not only the warnings the build prints
        test.setLevel(Level.INFO);
    }

    @AfterEach
    void release() {
        root.detachAppender(captured);
        loomas.setLevel(loomasLevel);
        test.setLevel(null);
    }

    private static Map<String, String> mdc(ILoggingEvent e) {
        return e.getMDCPropertyMap();
    }

    @Test
    void aTaskLogsWithItsLoopAndNameAndStartsWithACopyOfItsSpawnersContext() throws Exception {
        Loop.run(LoopOptions.DEFAULT.withName("mdc-loop"), () -> {
            MDC.put("request", "r-7");
            Loop.current().spawn("child", () -> {
                userLog.info("child working");
                MDC.put("request", "r-8"); // its own copy: the spawner's stays
                return Loop.current().spawn("grandchild", () -> {
                    userLog.info("grandchild working");
                    return null;
                }).await();
            }).await();
            userLog.info("main again");
            return null;
        });
        assertThat(mdc(captured.awaitMessage("child working")))
                .containsEntry(MdcKeys.LOOP, "mdc-loop").containsEntry(MdcKeys.TASK, "child")
                .containsEntry("request", "r-7").doesNotContainKey(MdcKeys.PEER);
        assertThat(mdc(captured.awaitMessage("grandchild working")))
                .containsEntry(MdcKeys.TASK, "grandchild").containsEntry("request", "r-8");
        assertThat(mdc(captured.awaitMessage("main again")))
                .containsEntry(MdcKeys.TASK, "main").containsEntry("request", "r-7");
    }

    /** An exposed method logs; it and what it spawns carry the caller's address. It also calls its client back. */
    static class Greeter {
        volatile RpcConnection client;

        @Expose
        String hello() {
            userLog.info("serving hello for {}", Caller.current().address());
            Loop.current().spawn("helper", () -> {
                userLog.info("helping hello");
                return null;
            }).await();
            return "hi";
        }

        @Expose
        Object callBack() {
            return client.remote().call("ping");
        }
    }

    /** The client's service, which the server calls back. */
    static class Callback {
        @Expose
        String ping() {
            userLog.info("client pinged");
            return "pong";
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"tcp", "unix", "local", "tls"})
    void callsOnBothSidesLogWithThePeerTheyServe(String transport) throws Exception {
        TransportCase t = new TransportCase(transport, io.loomas.codec.Codec.json());
        String[] serverAddress = new String[1];
        Loop.run(LoopOptions.DEFAULT.withName("server-loop"), () -> {
            Greeter greeter = new Greeter();
            RpcServer server = Rpc.startServer(t.freshAddress(), greeter,
                    RpcOptions.DEFAULT.withChannelOptions(t.options()).withOnConnect(c -> greeter.client = c));
            try (RpcConnection client = Rpc.connect(server.address(), new Callback(),
                    RpcOptions.DEFAULT.withChannelOptions(t.options()))) {
                assertThat(client.remote().call("hello")).isEqualTo("hi");
                assertThat(client.remote().call("callBack")).isEqualTo("pong");
                serverAddress[0] = client.channel().peerAddress().toString();
            } finally {
                server.close();
                server.awaitClosed();
            }
            return null;
        });
        ILoggingEvent served = captured.awaitMessage("serving hello for");
        String clientAddress = served.getFormattedMessage().substring("serving hello for ".length());
        assertThat(mdc(served)).containsEntry(MdcKeys.LOOP, "server-loop")
                .containsEntry(MdcKeys.PEER, clientAddress)
                .hasEntrySatisfying(MdcKeys.TASK, task -> assertThat(task).startsWith("rpc hello from "));
        assertThat(mdc(captured.awaitMessage("helping hello")))
                .containsEntry(MdcKeys.TASK, "helper").containsEntry(MdcKeys.PEER, clientAddress);
        // The client side serves the server's calls in tasks of its own, for that server.
        assertThat(mdc(captured.awaitMessage("client pinged"))).containsEntry(MdcKeys.PEER, serverAddress[0])
                .hasEntrySatisfying(MdcKeys.TASK, task -> assertThat(task).startsWith("rpc ping from "));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"tcp", "unix"})
    void aHostilePeersLinesNameItAndTheServersLoopFromTheReaderAndFromTheFrameTimer(String transport) throws Exception {
        Loop.run(LoopOptions.DEFAULT.withName("guarded"), () -> {
            ChannelOptions options = ChannelOptions.DEFAULT.withTransportOptions(
                    TransportOptions.DEFAULT.withFrameTimeout(Duration.ofMillis(200)));
            RpcServer server = Rpc.startServer(TransportCase.freshAddress(transport), new Greeter(),
                    RpcOptions.DEFAULT.withChannelOptions(options));
            try (var garbage = rawClient(server.address()); var stalled = rawClient(server.address())) {
                garbage.write(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}); // a 2 GiB frame
                garbage.flush();
                stalled.write(new byte[] {0, 0}); // half a header, then nothing
                stalled.flush();
                // Waited for off the loop: the server's tasks go on meanwhile.
                ILoggingEvent tooLarge = Loop.current().offload(() -> captured.awaitMessage("too large")).await();
                ILoggingEvent timedOut = Loop.current().offload(
                        () -> captured.awaitMessage("did not arrive within the frame timeout")).await();
                for (ILoggingEvent e : List.of(tooLarge, timedOut)) {
                    assertThat(mdc(e)).containsKey(MdcKeys.PEER).containsEntry(MdcKeys.LOOP, "guarded");
                    assertThat(e.getFormattedMessage()).contains(mdc(e).get(MdcKeys.PEER));
                }
                assertThat(mdc(tooLarge).get(MdcKeys.PEER)).isNotEqualTo(mdc(timedOut).get(MdcKeys.PEER));
            } finally {
                server.close();
                server.awaitClosed();
            }
            return null;
        });
    }

    /** A raw client of a TCP or Unix server, which writes what a test makes it write. */
    private static OutputStream rawClient(Address address) throws IOException {
        if (address instanceof Address.Tcp tcp) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(tcp.host(), tcp.port()));
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    s.getOutputStream().write(b);
                }

                @Override
                public void write(byte[] b) throws IOException {
                    s.getOutputStream().write(b);
                }

                @Override
                public void close() throws IOException {
                    s.close();
                }
            };
        }
        var channel = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(((Address.Unix) address).path()));
        return java.nio.channels.Channels.newOutputStream(channel);
    }

    @Test
    void theAcceptorsAndTheHandshakesLinesNameTheServersLoop() throws Exception {
        Loop.run(LoopOptions.DEFAULT.withName("front"), () -> {
            ChannelOptions full = ChannelOptions.DEFAULT.withTransportOptions(TransportOptions.DEFAULT.withMaxConnections(1));
            RpcServer tcp = Rpc.startServer(TransportCase.freshAddress("tcp"), new Greeter(),
                    RpcOptions.DEFAULT.withChannelOptions(full));
            RpcServer tls = Rpc.startServer(TransportCase.freshAddress("tls"), new Greeter(),
                    RpcOptions.DEFAULT.withChannelOptions(ChannelOptions.DEFAULT.withTransport(TransportCase.tlsTransport())));
            try (var first = rawClient(tcp.address()); var second = rawClient(tcp.address());
                    var plainToTls = rawClient(tls.address())) {
                plainToTls.write("GET / HTTP/1.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                plainToTls.flush();
                ILoggingEvent refused = Loop.current().offload(() -> captured.awaitMessage("refuses connections")).await();
                ILoggingEvent handshake = Loop.current().offload(() -> captured.awaitMessage("TLS handshake with")).await();
                assertThat(mdc(refused)).containsEntry(MdcKeys.LOOP, "front").doesNotContainKey(MdcKeys.PEER);
                assertThat(mdc(handshake)).containsEntry(MdcKeys.LOOP, "front").containsKey(MdcKeys.PEER);
            } finally {
                tcp.close();
                tls.close();
                tcp.awaitClosed();
                tls.awaitClosed();
            }
            return null;
        });
    }

    @Test
    void aFailureNobodyLookedAtIsReportedAsItsTaskAtTheLoopsClose() throws Exception {
        Loop.run(LoopOptions.DEFAULT.withName("careless"), () -> {
            Loop.current().spawn("doomed", () -> {
                throw new IllegalStateException("nobody awaits this");
            });
            Loop.current().spawn("after it", () -> null).await(); // the doomed task runs first (FIFO) and fails
            return null;
        });
        ILoggingEvent e = captured.awaitMessage("failed and nobody retrieved its failure");
        assertThat(mdc(e)).containsEntry(MdcKeys.LOOP, "careless").containsEntry(MdcKeys.TASK, "doomed");
    }

    @Test
    void theSlowTaskWarningIsLoggedAsTheTaskThatHeldTheLoop() throws Exception {
        LoopOptions debug = LoopOptions.DEFAULT.withName("hogged").withDebug(true)
                .withSlowTaskThreshold(Duration.ofMillis(20));
        Loop.run(debug, () -> Loop.current().spawn("hog", () -> {
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            // Holds the loop on purpose until the watchdog has spoken.
            while (captured.events.stream().noneMatch(e -> e.getFormattedMessage().contains("has held the loop"))
                    && System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            return null;
        }).await());
        ILoggingEvent e = captured.awaitMessage("has held the loop");
        assertThat(e.getThreadName()).isNotEqualTo("hogged/hog"); // the watchdog's thread, speaking for the task
        assertThat(mdc(e)).containsEntry(MdcKeys.LOOP, "hogged").containsEntry(MdcKeys.TASK, "hog");
    }

    @Test
    void aConnectThatIsRetriedLogsTheAddressItTries() throws Exception {
        Address nobody;
        try (var s = new java.net.ServerSocket(0)) {
            nobody = Address.tcp("127.0.0.1", s.getLocalPort()); // closed again: nobody listens there
        }
        Address target = nobody;
        Loop.run(LoopOptions.DEFAULT.withName("dialer"), () -> {
            try {
                Rpc.connect(target, RpcOptions.DEFAULT.withChannelOptions(
                        ChannelOptions.DEFAULT.withConnectTimeout(Duration.ofMillis(300))));
            } catch (IOException expected) {
                // refused until the timeout
            }
            return null;
        });
        ILoggingEvent e = captured.awaitMessage("retrying in");
        assertThat(mdc(e)).containsEntry(MdcKeys.PEER, target.toString()).containsEntry(MdcKeys.LOOP, "dialer");
    }
}
