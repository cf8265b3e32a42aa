package io.loomas.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.runtime.Promise;
import io.loomas.testing.TransportCase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Addresses, frame recorders and connected pairs shared by the transport tests. */
final class Fixtures {
    private static final AtomicInteger LOCAL_IDS = new AtomicInteger();
    /** How long a test waits for something that should happen at once before it fails. */
    static final long PATIENCE_SECONDS = 10;

    private Fixtures() {}

    /** {@return every transport the contract tests hold to the same promises: tcp, unix, local, tls} */
    static Stream<String> transports() {
        return Stream.of("tcp", "unix", "local", "tls");
    }

    static Stream<String> socketTransports() {
        return Stream.of("tcp", "unix");
    }

    /** {@return a fresh address to listen on: port 0, a short socket path, or a unique queue name} */
    static Address freshAddress(String transport) {
        return switch (transport) {
            case "tcp", "tls" -> Address.tcp("127.0.0.1", 0);
            case "unix" -> Address.unix(freshSocketPath());
            case "local" -> Address.local("transport-test-" + LOCAL_IDS.incrementAndGet());
            default -> throw new IllegalArgumentException("unknown transport: " + transport);
        };
    }

    /** {@return the transport called {@code name}: mutual TLS for "tls", else the one for its addresses} */
    static Transport transport(String name) {
        return name.equals("tls") ? TransportCase.tlsTransport() : Transport.forAddress(freshAddress(name));
    }

    /** {@return a socket path in a new temporary directory, short enough for the ~106 byte limit} */
    static Path freshSocketPath() {
        try {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "lt");
            dir.toFile().deleteOnExit();
            Path sock = dir.resolve("s");
            sock.toFile().deleteOnExit();
            return sock;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A handler that keeps every frame and the close, for the test to await. */
    static class Recorder implements FrameHandler {
        final LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
        final AtomicInteger closes = new AtomicInteger();
        /** Completes with the close cause, or {@code null} for an orderly close. */
        final Promise<Throwable> closed = new Promise<>();

        @Override
        public void onFrame(byte[] payload) {
            frames.add(payload);
        }

        @Override
        public void onClose(Throwable cause) {
            closes.incrementAndGet();
            closed.complete(cause);
        }

        /** {@return the next frame}, failing the test if none arrives in time */
        byte[] next() {
            try {
                byte[] f = frames.poll(PATIENCE_SECONDS, TimeUnit.SECONDS);
                assertThat(f).as("a frame arrives within %d s", PATIENCE_SECONDS).isNotNull();
                return f;
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        /** {@return the close cause}, waiting for the close */
        Throwable awaitClose() {
            return closed.await();
        }
    }

    /** A listener with one accepted connection and the client end connected to it. */
    record Pair(Listener listener, Connection client, Connection server) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
            server.close();
            listener.close();
        }
    }

    /** Listens on a fresh address of {@code transport}, connects, starts both ends with the handlers. */
    static Pair connect(String transport, TransportOptions options, FrameHandler clientHandler,
            FrameHandler serverHandler) throws IOException {
        return connect(transport(transport), freshAddress(transport), options, clientHandler, serverHandler);
    }

    /** Listens on {@code address} with {@code transport}, connects, starts both ends with the handlers. */
    static Pair connect(Transport transport, Address address, TransportOptions options, FrameHandler clientHandler,
            FrameHandler serverHandler) throws IOException {
        Promise<Connection> accepted = new Promise<>();
        Listener listener = transport.listen(address, options, c -> {
            c.start(serverHandler);
            accepted.complete(c);
        });
        Connection client = transport.connect(listener.address(), options);
        client.start(clientHandler);
        return new Pair(listener, client, accepted.await());
    }

    /** A client that writes raw bytes, no framing: what a broken or hostile peer sends. */
    interface RawPeer extends AutoCloseable {
        void write(byte[] bytes) throws IOException;

        @Override
        void close() throws IOException;
    }

    /** {@return a raw client of {@code transport} connected to {@code address}: a socket, or a TLS socket after its handshake} */
    static RawPeer rawPeer(String transport, Address address) throws IOException {
        if (transport.equals("tls")) {
            Address.Tcp a = (Address.Tcp) address;
            javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) ((TlsTransport) TransportCase.tlsTransport()).options()
                    .clientContext().getSocketFactory().createSocket(a.host(), a.port());
            s.startHandshake();
            java.io.OutputStream out = s.getOutputStream();
            return new RawPeer() {
                @Override
                public void write(byte[] bytes) throws IOException {
                    out.write(bytes);
                    out.flush();
                }

                @Override
                public void close() throws IOException {
                    s.close();
                }
            };
        }
        SocketChannel ch = rawSocket(address);
        return new RawPeer() {
            @Override
            public void write(byte[] bytes) throws IOException {
                writeAll(ch, bytes);
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }

    /** Opens a plain socket (no framing) to a TCP or Unix address. */
    static SocketChannel rawSocket(Address address) throws IOException {
        return switch (address) {
            case Address.Tcp t -> SocketChannel.open(new InetSocketAddress(t.host(), t.port()));
            case Address.Unix u -> SocketChannel.open(UnixDomainSocketAddress.of(u.path()));
            case Address.Local l -> throw new IllegalArgumentException("not a socket address: " + address);
        };
    }

    static SocketChannel unconnectedRawSocket(Address address) throws IOException {
        return address instanceof Address.Unix ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
    }

    /** {@return {@code payload} with its 4-byte big-endian length in front} */
    static byte[] frame(byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }

    /** {@return a payload of {@code size} bytes whose first 4 bytes are {@code n} and the rest a pattern} */
    static byte[] numbered(int n, int size) {
        byte[] p = new byte[size];
        ByteBuffer b = ByteBuffer.wrap(p);
        if (size >= 4) {
            b.putInt(n);
        }
        for (int i = 4; i < size; i++) {
            p[i] = (byte) (n + i);
        }
        return p;
    }

    /** {@return the number {@link #numbered} put into {@code payload}} */
    static int numberOf(byte[] payload) {
        return ByteBuffer.wrap(payload).getInt();
    }

    /** Writes all of {@code bytes}. */
    static void writeAll(SocketChannel ch, byte[] bytes) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(bytes);
        while (out.hasRemaining()) {
            ch.write(out);
        }
    }

    static List<byte[]> drain(Recorder r, int n) {
        List<byte[]> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            got.add(r.next());
        }
        return got;
    }
}
