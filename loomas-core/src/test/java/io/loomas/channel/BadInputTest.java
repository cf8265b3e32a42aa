package io.loomas.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.testing.TransportCase;
import io.loomas.codec.Codec;
import io.loomas.codec.Message;
import io.loomas.codec.MessageType;
import io.loomas.codec.Serializers;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Promise;
import io.loomas.transport.Address;
import io.loomas.transport.Connection;
import io.loomas.transport.ConnectionClosedException;
import io.loomas.transport.FrameHandler;
import io.loomas.transport.Transport;
import io.loomas.transport.TransportOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A peer that breaks the protocol gets a clear error on its own connection only: the server logs it,
 * closes that connection, and goes on serving a second, well-behaved client.
 */
class BadInputTest {
    private static final int MAX_FRAME = 1024;

    /** Runs {@code misbehave} against a server, then checks the error and that a good client is served. */
    private static void assertServerSurvives(String transport, Consumer<Address> misbehave, String expectedError) {
        ChannelOptions options = ChannelOptions.DEFAULT.withMaxFrameSize(MAX_FRAME);
        Promise<ConnectionClosedException> firstError = new Promise<>();
        Loop.run(() -> {
            Server server = Channels.startServer(TransportCase.freshAddress(transport), channel -> {
                while (true) {
                    Request r;
                    try {
                        r = channel.recv();
                    } catch (ConnectionClosedException e) {
                        firstError.complete(e);
                        return;
                    }
                    r.reply("served " + r.content());
                }
            }, options);
            try {
                Loop.current().offload(() -> {
                    misbehave.accept(server.address());
                    return null;
                }).await();
                assertThat(firstError.await()).hasMessageContaining(expectedError);
                long start = System.nanoTime();
                try (Channel good = Channels.connect(server.address(), options)) {
                    assertThat(good.send("hello")).isEqualTo("served hello");
                }
                assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
                        .as("a well-behaved client's connect and call").isLessThan(java.time.Duration.ofSeconds(1));
            } finally {
                server.close();
                server.awaitClosed();
            }
            return null;
        });
    }

    static Stream<String> socketTransports() {
        return Stream.of("tcp", "unix");
    }

    /** Writes raw bytes on a plain socket, then waits for the server to hang up. */
    private static Consumer<Address> rawBytes(byte[] bytes, boolean halfClose) {
        return address -> {
            try (SocketChannel ch = address instanceof Address.Tcp t
                    ? SocketChannel.open(new InetSocketAddress(t.host(), t.port()))
                    : SocketChannel.open(StandardProtocolFamily.UNIX)) {
                if (address instanceof Address.Unix u) {
                    ch.connect(UnixDomainSocketAddress.of(u.path()));
                }
                ByteBuffer out = ByteBuffer.wrap(bytes);
                while (out.hasRemaining()) {
                    ch.write(out);
                }
                if (halfClose) {
                    ch.shutdownOutput();
                }
                ByteBuffer in = ByteBuffer.allocate(256);
                while (ch.read(in) >= 0) { // until the server closes
                    in.clear();
                }
            } catch (IOException e) {
                // a reset is an acceptable way for the server to hang up
            }
        };
    }

    /** Sends one raw payload (framed by the transport) and waits for the server to hang up. */
    private static Consumer<Address> rawPayload(byte[] payload) {
        return address -> {
            try {
                Connection c = Transport.forAddress(address).connect(address, TransportOptions.DEFAULT);
                Promise<Void> ended = new Promise<>();
                c.start(new FrameHandler() {
                    @Override
                    public void onFrame(byte[] frame) {}

                    @Override
                    public void onClose(Throwable cause) {
                        ended.complete(null);
                    }
                });
                c.send(payload);
                ended.await();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    /** A handler that answers every request with {@code answer} until the channel closes. */
    private static ConnectionHandler answering(Object answer) {
        return channel -> {
            while (true) {
                Request r;
                try {
                    r = channel.recv();
                } catch (ConnectionClosedException e) {
                    return;
                }
                r.reply(answer);
            }
        };
    }

    private static byte[] frame(byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("socketTransports")
    void anOversizedFrameClosesOnlyThatConnection(String transport) {
        byte[] header = ByteBuffer.allocate(4).putInt(100 * 1024 * 1024).array();
        assertServerSurvives(transport, rawBytes(header, false), "frame too large from");
    }

    @ParameterizedTest(name = "[local]")
    @MethodSource("io.loomas.testing.TransportCase#transports")
    void anOversizedPayloadIsRejectedByTheReader(String transport) {
        // The misbehaving sender allows itself large frames; the server allows 1 KiB.
        assertServerSurvives(transport, rawPayload(new byte[MAX_FRAME + 1]), "frame too large from");
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("socketTransports")
    void aTruncatedFrameThenEndOfStreamIsAProtocolError(String transport) {
        byte[] partial = new byte[4 + 5];
        ByteBuffer.wrap(partial).putInt(20).put(json("[0, 0"));
        assertServerSurvives(transport, rawBytes(partial, true), "ended inside a frame: got 5 of 20 bytes");
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("socketTransports")
    void garbageBytesAreAProtocolError(String transport) {
        assertServerSurvives(transport, rawBytes(frame(new byte[] {(byte) 0xff, 0x13, 0x37, 0x00}), false),
                "undecodable frame from");
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#transports")
    void anUndecodablePayloadIsAProtocolError(String transport) {
        assertServerSurvives(transport, rawPayload(json("[0, 0, [\"add\", [3, 4]")), "undecodable frame from");
    }

    /** Regression: an overlong "/" (C0 AF) reached path resolution, and agents\xC0\xAF0\xC0\xAFadd was called. */
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#transports")
    void aRequestThatIsNotUtf8IsAProtocolErrorNamingTheByte(String transport) {
        byte[] head = json("[0, 0, [\"agents");
        byte[] overlong = {(byte) 0xc0, (byte) 0xaf};
        byte[] tail = json("0\", [3, 4], {}]]");
        byte[] payload = ByteBuffer.allocate(head.length + 2 + tail.length).put(head).put(overlong).put(tail).array();
        assertServerSurvives(transport, rawPayload(payload), "json data is not valid UTF-8: byte 0xC0 at byte 15");
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#transports")
    void anUnknownMessageTypeIsAProtocolError(String transport) {
        assertServerSurvives(transport, rawPayload(json("[7, 0, null]")), "unknown message type: 7");
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#transports")
    void aReplyWithAnUnknownIdIsAProtocolError(String transport) {
        assertServerSurvives(transport, rawPayload(json("[1, 99, \"surprise\"]")), "reply to unknown request id 99");
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#transports")
    void anUnknownTypeIdIsAProtocolError(String transport) {
        assertServerSurvives(transport, rawPayload(json("[0, 0, {\"__type__\": [5, \"x\"]}]")), "__type__");
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#transports")
    void aFailureReplyThatIsNotTextIsAProtocolError(String transport) {
        assertServerSurvives(transport, rawPayload(json("[2, 0, 123]")), "undecodable frame from");
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#transports")
    void sendingAnOversizedFrameFailsTheSenderAndKeepsTheConnection(String transport) {
        ChannelOptions options = ChannelOptions.DEFAULT.withMaxFrameSize(MAX_FRAME);
        Loop.run(() -> {
            Server server = Channels.startServer(TransportCase.freshAddress(transport),
                    answering("ok"), options);
            try (Channel client = Channels.connect(server.address(), options)) {
                assertThatThrownBy(() -> client.send("x".repeat(MAX_FRAME)))
                        .isInstanceOf(io.loomas.transport.ProtocolException.class)
                        .hasMessageContaining("frame too large to send");
                assertThat(client.send("small")).isEqualTo("ok");
            } finally {
                server.close();
                server.awaitClosed();
            }
            return null;
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#transports")
    void aCodecMismatchClosesTheConnectionWithAClearError(String transport) {
        // A MsgPack client talks to a JSON server.
        byte[] msgpack = Codec.msgpack().withSerializers(Serializers.NONE)
                .encodeMessage(new Message(MessageType.REQUEST, 0, "hi"));
        assertServerSurvives(transport, rawPayload(msgpack), "undecodable frame from");
    }
}
