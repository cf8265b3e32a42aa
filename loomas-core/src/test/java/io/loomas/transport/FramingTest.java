package io.loomas.transport;

import static io.loomas.transport.Fixtures.frame;
import static io.loomas.transport.Fixtures.writeAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.transport.Fixtures.Recorder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The reading side reassembles frames from whatever pieces the socket delivers (WIRE.md, Frames). */
class FramingTest {
    private static final int MAX_FRAME = 1000;
    private static final TransportOptions OPTIONS = TransportOptions.DEFAULT.withMaxFrameSize(MAX_FRAME);

    /** A server on {@code transport} whose one accepted connection records into {@code recorder}. */
    private static Listener serve(String transport, Recorder recorder) throws IOException {
        Address address = Fixtures.freshAddress(transport);
        return Transport.forAddress(address).listen(address, OPTIONS, c -> c.start(recorder));
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#socketTransports")
    void aFrameWrittenOneByteAtATimeArrivesWhole(String transport) throws IOException {
        Recorder server = new Recorder();
        try (Listener listener = serve(transport, server); SocketChannel raw = Fixtures.rawSocket(listener.address())) {
            byte[] bytes = frame(text("split into single bytes"));
            for (byte b : bytes) {
                writeAll(raw, new byte[] {b});
            }
            assertThat(server.next()).asString(StandardCharsets.UTF_8).isEqualTo("split into single bytes");
            assertThat(server.frames).isEmpty();
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#socketTransports")
    void framesCoalescedIntoOneWriteArriveSeparatelyInOrder(String transport) throws IOException {
        Recorder server = new Recorder();
        try (Listener listener = serve(transport, server); SocketChannel raw = Fixtures.rawSocket(listener.address())) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 0; i < 100; i++) {
                all.writeBytes(frame(text("frame " + i)));
            }
            writeAll(raw, all.toByteArray());
            for (int i = 0; i < 100; i++) {
                assertThat(server.next()).asString(StandardCharsets.UTF_8).isEqualTo("frame " + i);
            }
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#socketTransports")
    void aZeroLengthPayloadIsAValidFrame(String transport) throws IOException {
        Recorder server = new Recorder();
        try (Listener listener = serve(transport, server); SocketChannel raw = Fixtures.rawSocket(listener.address())) {
            writeAll(raw, frame(new byte[0]));
            writeAll(raw, frame(text("after")));
            assertThat(server.next()).isEmpty();
            assertThat(server.next()).asString(StandardCharsets.UTF_8).isEqualTo("after");
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#socketTransports")
    void aFrameOfExactlyTheMaximumSizeIsAccepted(String transport) throws IOException {
        Recorder server = new Recorder();
        try (Listener listener = serve(transport, server); SocketChannel raw = Fixtures.rawSocket(listener.address())) {
            byte[] payload = Fixtures.numbered(7, MAX_FRAME);
            writeAll(raw, frame(payload));
            assertThat(server.next()).isEqualTo(payload);
            assertThat(server.closed.isDone()).isFalse();
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#socketTransports")
    void aFrameOneByteOverTheMaximumIsRejectedNamingBothSizes(String transport) throws IOException {
        Recorder server = new Recorder();
        try (Listener listener = serve(transport, server); SocketChannel raw = Fixtures.rawSocket(listener.address())) {
            writeAll(raw, frame(new byte[MAX_FRAME + 1]));
            assertThat(server.awaitClose())
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("frame too large")
                    .hasMessageContaining(String.valueOf(MAX_FRAME + 1))
                    .hasMessageContaining(String.valueOf(MAX_FRAME));
            assertThat(server.frames).isEmpty();
            assertThat(server.closes).hasValue(1);
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void sendingAPayloadOverTheMaximumFailsTheSenderNamingBothSizes(String transport) throws IOException {
        try (Fixtures.Pair pair = Fixtures.connect(transport, OPTIONS, new Recorder(), new Recorder())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> pair.client().send(new byte[MAX_FRAME + 1]))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining((MAX_FRAME + 1) + " bytes")
                    .hasMessageContaining("<= " + MAX_FRAME + " bytes");
            assertThat(pair.client().isOpen()).isTrue();
        }
    }

    /**
     * A writer starts only at the first frame queued after {@code start}: frames sent on both ends
     * before their {@code start} must still go out, in order, once it comes.
     */
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void framesSentBeforeStartGoOutOnceStarted(String transport) throws IOException {
        Transport t = Fixtures.transport(transport);
        io.loomas.runtime.Promise<Connection> accepted = new io.loomas.runtime.Promise<>();
        Recorder client = new Recorder();
        Recorder server = new Recorder();
        try (Listener listener = t.listen(Fixtures.freshAddress(transport), OPTIONS, accepted::complete)) {
            Connection c = t.connect(listener.address(), OPTIONS);
            Connection s = accepted.await();
            try {
                for (int i = 0; i < 3; i++) {
                    c.send(Fixtures.numbered(i, 10));
                    s.send(Fixtures.numbered(100 + i, 10));
                }
                c.start(client);
                s.start(server);
                c.send(Fixtures.numbered(3, 10));
                for (int i = 0; i < 4; i++) {
                    assertThat(Fixtures.numberOf(server.next())).as("frame #%d at the server", i).isEqualTo(i);
                }
                for (int i = 0; i < 3; i++) {
                    assertThat(Fixtures.numberOf(client.next())).as("frame #%d at the client", i).isEqualTo(100 + i);
                }
            } finally {
                c.close();
                s.close();
            }
            assertThat(client.awaitClose()).isNull();
            assertThat(server.awaitClose()).isNull();
        }
    }
}
