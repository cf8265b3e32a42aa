package io.loomas.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/** The raw-socket limit: a framed request/reply echo on plain JDK sockets and virtual threads. */
final class RawEcho {
    private RawEcho() {}

    /** The echo server: every frame goes straight back on the same connection. */
    static final class Server implements AutoCloseable {
        private final ServerSocketChannel server;
        private final Path unixPath;
        private final List<RawFrames> connections = new ArrayList<>();

        private Server(ServerSocketChannel server, Path unixPath) {
            this.server = server;
            this.unixPath = unixPath;
            Thread.ofVirtual().name("raw acceptor").start(this::acceptLoop);
        }

        static Server tcp() throws IOException {
            ServerSocketChannel s = ServerSocketChannel.open();
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return new Server(s, null);
        }

        static Server unix(Path path) throws IOException {
            Files.deleteIfExists(path);
            ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            s.bind(UnixDomainSocketAddress.of(path));
            return new Server(s, path);
        }

        /** {@return "tcp://host:port" or "ipc://path"} */
        String address() throws IOException {
            if (unixPath != null) {
                return "ipc://" + unixPath;
            }
            InetSocketAddress a = (InetSocketAddress) server.getLocalAddress();
            return "tcp://127.0.0.1:" + a.getPort();
        }

        private void acceptLoop() {
            try {
                while (true) {
                    SocketChannel channel = server.accept();
                    if (channel.getRemoteAddress() instanceof InetSocketAddress) {
                        channel.socket().setTcpNoDelay(true);
                    }
                    RawFrames frames = new RawFrames(channel);
                    synchronized (connections) {
                        connections.add(frames);
                    }
                    Thread.ofVirtual().name("raw reader").start(() -> {
                        try {
                            while (true) {
                                frames.send(frames.read());
                            }
                        } catch (IOException e) {
                            frames.close();
                        }
                    });
                }
            } catch (IOException e) {
                // closed
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            synchronized (connections) {
                connections.forEach(RawFrames::close);
            }
            if (unixPath != null) {
                Files.deleteIfExists(unixPath);
            }
        }
    }

    /** Opens a socket channel to "tcp://host:port" or "ipc://path". */
    static SocketChannel open(String address) throws IOException {
        SocketAddress target;
        SocketChannel channel;
        if (address.startsWith("ipc://")) {
            target = UnixDomainSocketAddress.of(address.substring("ipc://".length()));
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        } else {
            String hostPort = address.substring("tcp://".length());
            int colon = hostPort.lastIndexOf(':');
            target = new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
            channel = SocketChannel.open();
            channel.socket().setTcpNoDelay(true);
        }
        channel.connect(target);
        return channel;
    }

    /** The client: callers are virtual threads, each parked until the reader hands it its reply. */
    static final class Client implements Driver {
        private static final int MAX_CALLERS = 1024;

        private final String name;
        private final RawFrames frames;
        private final Thread[] waiters = new Thread[MAX_CALLERS];
        private final AtomicReferenceArray<byte[]> replies = new AtomicReferenceArray<>(MAX_CALLERS);

        Client(String name, String address) throws IOException {
            this.name = name;
            this.frames = new RawFrames(open(address));
            Thread.ofVirtual().name("raw client reader").start(this::readLoop);
        }

        private void readLoop() {
            try {
                while (true) {
                    byte[] reply = frames.read();
                    int slot = ((reply[0] & 0xff) << 24) | ((reply[1] & 0xff) << 16) | ((reply[2] & 0xff) << 8) | (reply[3] & 0xff);
                    replies.set(slot, reply);
                    LockSupport.unpark(waiters[slot]);
                }
            } catch (IOException e) {
                // closed
            }
        }

        private byte[] call(int slot, byte[] body) {
            byte[] request = new byte[4 + body.length];
            request[0] = (byte) (slot >>> 24);
            request[1] = (byte) (slot >>> 16);
            request[2] = (byte) (slot >>> 8);
            request[3] = (byte) slot;
            System.arraycopy(body, 0, request, 4, body.length);
            frames.send(request);
            while (true) {
                byte[] reply = replies.getAndSet(slot, null);
                if (reply != null) {
                    return reply;
                }
                LockSupport.park(this);
            }
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Measurement measure(int callers, Payload payload, long durationNanos, LatencyRecorder latencies)
                throws InterruptedException {
            byte[] body = payload.bytes();
            AtomicLong calls = new AtomicLong();
            Deadline deadline = new Deadline(durationNanos);
            long start = System.nanoTime();
            Thread[] threads = new Thread[callers];
            for (int i = 0; i < callers; i++) {
                int slot = i;
                threads[i] = Thread.ofVirtual().unstarted(() -> {
                    long n = 0;
                    while (!deadline.passed()) {
                        long t0 = System.nanoTime();
                        byte[] reply = call(slot, body);
                        if (reply.length != body.length + 4) {
                            throw new IllegalStateException("raw echo returned " + reply.length + " bytes");
                        }
                        if (latencies != null) {
                            latencies.record(System.nanoTime() - t0);
                        }
                        n++;
                    }
                    calls.addAndGet(n);
                });
                waiters[i] = threads[i];
            }
            for (Thread t : threads) {
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            return new Measurement(calls.get(), System.nanoTime() - start);
        }

        @Override
        public void close() {
            frames.close();
        }
    }
}
