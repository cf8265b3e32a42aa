package io.loomas.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.runtime.Promise;
import io.loomas.transport.Fixtures.Pair;
import io.loomas.transport.Fixtures.Recorder;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Closing: queued frames go out first, {@code onClose} comes exactly once, later sends fail. */
class CloseTest {
    private static final TransportOptions OPTIONS = TransportOptions.DEFAULT;

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void closeWritesWhatWasQueuedBeforeClosing(String transport) throws IOException {
        int n = 2000;
        Recorder client = new Recorder();
        Recorder server = new Recorder();
        try (Pair pair = Fixtures.connect(transport, OPTIONS, client, server)) {
            for (int i = 0; i < n; i++) {
                pair.client().send(Fixtures.numbered(i, 100 + i % 200));
            }
            pair.client().close();
            for (int i = 0; i < n; i++) {
                assertThat(server.next()).isEqualTo(Fixtures.numbered(i, 100 + i % 200));
            }
            assertThat(server.awaitClose()).isNull();
            assertThat(server.frames).isEmpty();
        }
    }

    /**
     * Regression: closing a socket whose incoming bytes were not read yet made the kernel send a
     * reset, and the peer lost the frames queued before the close ("Connection reset"); on TLS too.
     */
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void closeDeliversQueuedFramesEvenWithUnreadIncomingData(String transport) throws IOException {
        assertCloseDeliversQueuedFramesWithUnreadIncomingData(Fixtures.transport(transport),
                Fixtures.freshAddress(transport));
    }

    /**
     * The client stops reading while the server fills its receive buffer, queues 1000 frames and
     * closes: the server must get all of them, then an orderly end.
     */
    static void assertCloseDeliversQueuedFramesWithUnreadIncomingData(Transport transport, Address address)
            throws IOException {
        Promise<Void> release = new Promise<>();
        Recorder client = new Recorder() {
            @Override
            public void onFrame(byte[] payload) {
                release.await(); // the client stops reading, so the server's frames stay unread
                super.onFrame(payload);
            }
        };
        Recorder server = new Recorder();
        int n = 1000;
        try (Pair pair = Fixtures.connect(transport, address, OPTIONS, client, server)) {
            for (int i = 0; i < 100; i++) {
                pair.server().send(new byte[4000]);
            }
            for (int i = 0; i < n; i++) {
                pair.client().send(Fixtures.numbered(i, 4000));
            }
            pair.client().close();
            for (int i = 0; i < n; i++) {
                assertThat(Fixtures.numberOf(server.next())).as("frame #%d", i).isEqualTo(i);
            }
            assertThat(server.awaitClose()).isNull();
            release.complete(null);
            assertThat(client.awaitClose()).isNull();
            assertThat(client.closes).hasValue(1);
        } finally {
            release.complete(null);
        }
    }

    /**
     * A close ends this side's sending only: every frame the peer sent before it saw the end still
     * arrives, then {@code onClose(null)}. The server sends until its send fails; the client closes
     * as soon as the first frame is in, and must get exactly the frames whose send succeeded. (The
     * local transport used to drop those still on their way: its close ended both inboxes.)
     */
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void framesThePeerSentBeforeItSawTheCloseStillArrive(String transport) throws Exception {
        Recorder client = new Recorder();
        Recorder server = new Recorder();
        // Small buffers: the close comes while many of the server's frames are still on their way.
        TransportOptions small = OPTIONS.withWriteBufferSize(64 << 10);
        try (Pair pair = Fixtures.connect(transport, small, client, server)) {
            Promise<Integer> sent = new Promise<>();
            Thread sender = Thread.ofVirtual().start(() -> {
                int i = 0;
                try {
                    while (i < 100_000) {
                        pair.server().send(Fixtures.numbered(i, 2000));
                        i++;
                    }
                } catch (ConnectionClosedException e) {
                    // the server saw the client's end
                }
                sent.complete(i);
            });
            assertThat(Fixtures.numberOf(client.next())).isZero();
            pair.client().close();
            assertThat(client.awaitClose()).isNull();
            sender.join();
            int received = 1 + client.frames.size();
            assertThat(received).as("frames received of %d sent", sent.await()).isEqualTo(sent.await());
            for (int i = 1; i < received; i++) {
                assertThat(Fixtures.numberOf(client.next())).as("frame #%d", i).isEqualTo(i);
            }
            assertThat(server.awaitClose()).isNull();
            assertThat(client.closes).hasValue(1);
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void anOrderlyCloseCallsOnCloseOnceOnBothEndsWithNull(String transport) throws IOException {
        Recorder client = new Recorder();
        Recorder server = new Recorder();
        try (Pair pair = Fixtures.connect(transport, OPTIONS, client, server)) {
            pair.client().close();
            assertThat(client.awaitClose()).isNull();
            assertThat(server.awaitClose()).isNull();
            pair.client().close();
            pair.server().close();
            assertThat(pair.client().isOpen()).isFalse();
            assertThat(pair.server().isOpen()).isFalse();
            assertThat(client.closes).hasValue(1);
            assertThat(server.closes).hasValue(1);
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void bothEndsClosingAtOnceCallsOnCloseOnceEach(String transport) throws IOException {
        Recorder client = new Recorder();
        Recorder server = new Recorder();
        try (Pair pair = Fixtures.connect(transport, OPTIONS, client, server)) {
            Thread other = Thread.ofVirtual().start(pair.server()::close);
            pair.client().close();
            assertThat(client.awaitClose()).isNull();
            assertThat(server.awaitClose()).isNull();
            other.join();
            assertThat(client.closes).hasValue(1);
            assertThat(server.closes).hasValue(1);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void sendAfterCloseThrowsConnectionClosed(String transport) throws IOException {
        Recorder client = new Recorder();
        try (Pair pair = Fixtures.connect(transport, OPTIONS, client, new Recorder())) {
            pair.client().close();
            assertThatThrownBy(() -> pair.client().send(new byte[] {1}))
                    .isInstanceOf(ConnectionClosedException.class)
                    .hasMessageContaining("is closed");
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void sendAfterThePeerClosedThrowsConnectionClosed(String transport) throws IOException {
        Recorder server = new Recorder();
        try (Pair pair = Fixtures.connect(transport, OPTIONS, new Recorder(), server)) {
            pair.client().close();
            assertThat(server.awaitClose()).isNull();
            assertThatThrownBy(() -> pair.server().send(new byte[] {1}))
                    .isInstanceOf(ConnectionClosedException.class);
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void closingBeforeStartDoesNotHangAndThePeerSeesTheEnd(String transport) throws IOException {
        Address address = Fixtures.freshAddress(transport);
        Recorder server = new Recorder();
        try (Listener listener = Fixtures.transport(transport).listen(address, OPTIONS, c -> c.start(server))) {
            Connection client = Fixtures.transport(transport).connect(listener.address(), OPTIONS);
            client.close();
            assertThat(client.isOpen()).isFalse();
            assertThat(server.awaitClose()).isNull();
            assertThatThrownBy(() -> client.send(new byte[] {1})).isInstanceOf(ConnectionClosedException.class);
        }
    }

    /** The peer's process dies: on TCP a reset (linger 0), on Unix a plain close of the socket. */
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#socketTransports")
    void aVanishingPeerEndsTheConnectionOnceAndLaterSendsFail(String transport) throws IOException {
        Address address = Fixtures.freshAddress(transport);
        Recorder server = new Recorder();
        Promise<Connection> accepted = new Promise<>();
        try (Listener listener = Transport.forAddress(address).listen(address, OPTIONS, c -> {
            c.start(server);
            accepted.complete(c);
        })) {
            SocketChannel raw = Fixtures.rawSocket(listener.address());
            Connection serverEnd = accepted.await();
            Fixtures.writeAll(raw, Fixtures.frame("last words".getBytes(StandardCharsets.UTF_8)));
            assertThat(server.next()).asString(StandardCharsets.UTF_8).isEqualTo("last words");
            if (transport.equals("tcp")) {
                raw.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
            raw.close();
            Throwable cause = server.awaitClose();
            if (cause != null) {
                assertThat(cause).isInstanceOf(IOException.class);
            }
            assertThat(serverEnd.isOpen()).isFalse();
            assertThatThrownBy(() -> serverEnd.send(new byte[] {1})).isInstanceOf(ConnectionClosedException.class);
            serverEnd.close();
            assertThat(server.closes).hasValue(1);
        }
    }

    /** Frames sent toward a peer that was reset fail the sender instead of vanishing. */
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#socketTransports")
    void sendingToAVanishedPeerEventuallyFailsWithConnectionClosed(String transport) throws IOException {
        Address address = Fixtures.freshAddress(transport);
        Recorder server = new Recorder();
        Promise<Connection> accepted = new Promise<>();
        try (Listener listener = Transport.forAddress(address).listen(address, OPTIONS, c -> {
            c.start(server);
            accepted.complete(c);
        })) {
            SocketChannel raw = Fixtures.rawSocket(listener.address());
            Connection serverEnd = accepted.await();
            if (transport.equals("tcp")) {
                raw.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
            raw.close();
            // Sending may succeed for a while (the frames go to the socket buffer), but not forever.
            assertThatThrownBy(() -> {
                for (int i = 0; i < 1_000_000; i++) {
                    serverEnd.send(new byte[1000]);
                }
            }).isInstanceOf(ConnectionClosedException.class);
            server.awaitClose();
            assertThat(server.closes).hasValue(1);
        }
    }
}
