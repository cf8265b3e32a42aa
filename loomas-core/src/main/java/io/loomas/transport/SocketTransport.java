package io.loomas.transport;

import io.loomas.transport.internal.RealTransports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** TCP and Unix domain sockets, on plain JDK socket channels and virtual threads. */
final class SocketTransport implements Transport {
    static final SocketTransport INSTANCE = new SocketTransport();
    private static final Logger log = LoggerFactory.getLogger(SocketTransport.class);

    private SocketTransport() {}

    @Override
    public Connection connect(Address address, TransportOptions options) throws IOException {
        RealTransports.refuseInSimulation("connect over a real socket to", address);
        SocketChannel ch = switch (address) {
            case Address.Tcp t -> {
                SocketChannel c = SocketChannel.open();
                try {
                    c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    KeepAlives.apply(c, options.keepAlive());
                    c.connect(new InetSocketAddress(t.host(), t.port()));
                } catch (IOException | RuntimeException e) {
                    c.close();
                    throw e;
                }
                yield c;
            }
            case Address.Unix u -> {
                SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    c.connect(UnixDomainSocketAddress.of(u.path()));
                } catch (IOException | RuntimeException e) {
                    c.close();
                    throw e;
                }
                yield c;
            }
            case Address.Local l -> throw new IllegalArgumentException("not a socket address: " + address);
        };
        // A Unix client socket has no name of its own: call it after the server's path.
        Address local = address instanceof Address.Unix u
                ? Address.unix(java.nio.file.Path.of(u.path() + "#client"))
                : addressOf(ch.getLocalAddress(), address);
        return new SocketConnection(ch, local, address, options);
    }

    @Override
    public Listener listen(Address address, TransportOptions options, Consumer<Connection> onAccept)
            throws IOException {
        RealTransports.refuseInSimulation("listen with a real socket on", address);
        ServerSocketChannel server;
        Address bound;
        switch (address) {
            case Address.Tcp t -> {
                server = ServerSocketChannel.open();
                try {
                    server.bind(new InetSocketAddress(t.host(), t.port()));
                } catch (IOException e) {
                    server.close();
                    throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
                }
                bound = addressOf(server.getLocalAddress(), address);
            }
            case Address.Unix u -> {
                // The socket file survives close(); a stale one would make bind fail. But a live server's
                // file must stay: deleting it would silently cut that server off from new clients.
                if (Files.exists(u.path()) && isListening(u.path())) {
                    throw new IOException("cannot listen on " + address + ": address already in use");
                }
                Files.deleteIfExists(u.path());
                server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    server.bind(UnixDomainSocketAddress.of(u.path()));
                } catch (IOException e) {
                    server.close();
                    throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
                }
                bound = address;
            }
            case Address.Local l -> throw new IllegalArgumentException("not a socket address: " + address);
        }
        SocketListener listener = new SocketListener(server, bound);
        listener.start(options, onAccept);
        return listener;
    }

    /** {@return whether a server accepts connections on the socket file at {@code path}} */
    private static boolean isListening(Path path) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return probe.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            return false; // refused, or not a socket: stale
        }
    }


    private static Address addressOf(SocketAddress socketAddress, Address fallback) {
        if (socketAddress instanceof InetSocketAddress inet) {
            return Address.tcp(inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString(),
                    inet.getPort());
        }
        if (socketAddress instanceof UnixDomainSocketAddress unix && !unix.getPath().toString().isEmpty()) {
            return Address.unix(unix.getPath());
        }
        return fallback;
    }

    private static final class SocketListener extends AcceptingListener<SocketChannel> {
        private final ServerSocketChannel server;
        private long clients; // only the acceptor thread counts

        SocketListener(ServerSocketChannel server, Address address) {
            super(address);
            this.server = server;
        }

        @Override
        SocketChannel accept() throws IOException {
            return server.accept();
        }

        @Override
        void handOver(SocketChannel ch, TransportOptions options, Consumer<Connection> onAccept, Admission admission) {
            Address address = address();
            SocketConnection c = null;
            try {
                if (address instanceof Address.Tcp) {
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    KeepAlives.apply(ch, options.keepAlive());
                }
                // A Unix client socket has no name: call it after the server's path, numbered.
                Address remote = address instanceof Address.Unix u
                        ? Address.unix(Path.of(u.path() + "#client-" + (++clients)))
                        : addressOf(ch.getRemoteAddress(), address);
                c = new SocketConnection(ch, address, remote, options);
                c.afterEnd(admission::ended);
                onAccept.accept(c);
            } catch (IOException | RuntimeException e) {
                if (c != null) {
                    c.close(); // its end gives the admission back
                } else {
                    admission.ended();
                }
                log.warn("Listener {} could not take a connection: {}", address, e.toString());
                closeQuietly(ch);
            }
        }

        @Override
        void closeServer() {
            try {
                server.close();
            } catch (IOException e) {
                log.debug("Closing listener {} failed", address(), e);
            }
        }

        @Override
        void afterClose() {
            if (address() instanceof Address.Unix u) {
                try {
                    Files.deleteIfExists(u.path());
                } catch (IOException e) {
                    log.debug("Removing socket file {} failed", u.path(), e);
                }
            }
        }

        @Override
        public String toString() {
            return "Listener[" + address() + "]";
        }
    }

    /** A connection over a socket channel: 4-byte big-endian length, then the payload. */
    private static final class SocketConnection extends FramedConnection {
        private final SocketChannel ch;
        private final FrameReader reader;

        SocketConnection(SocketChannel ch, Address local, Address remote, TransportOptions options) {
            super(local, remote, options);
            this.ch = ch;
            this.reader = new FrameReader(ch, options.maxFrameSize(), toString(), remote, true, this::waitingInsideFrame);
        }

        @Override
        byte[] readFrame() throws IOException {
            return reader.next();
        }

        @Override
        void writeFrames(List<byte[]> frames) throws IOException {
            ByteBuffer[] buffers = new ByteBuffer[frames.size() * 2];
            ByteBuffer headers = ByteBuffer.allocate(frames.size() * 4);
            for (int i = 0; i < frames.size(); i++) {
                byte[] f = frames.get(i);
                buffers[2 * i] = headers.slice(i * 4, 4).putInt(0, f.length);
                buffers[2 * i + 1] = ByteBuffer.wrap(f);
            }
            int from = 0;
            while (from < buffers.length) {
                ch.write(buffers, from, buffers.length - from);
                while (from < buffers.length && !buffers[from].hasRemaining()) {
                    from++;
                }
            }
        }

        @Override
        boolean shutdownOutput() throws IOException {
            ch.shutdownOutput();
            return true;
        }

        @Override
        void closeMedium() {
            try {
                ch.close();
            } catch (IOException e) {
                log.debug("Closing {} failed", this, e);
            }
        }
    }
}
