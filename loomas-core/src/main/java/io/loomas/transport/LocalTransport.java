package io.loomas.transport;

import io.loomas.transport.internal.RealTransports;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Connections inside one JVM, addressed by a queue name: each end hands its frames to the other's
 * inbox, with the same framing rules, threads and back-pressure as a socket.
 */
final class LocalTransport implements Transport {
    static final LocalTransport INSTANCE = new LocalTransport();
    private static final byte[] EOF = new byte[0];

    private final ConcurrentHashMap<String, LocalListener> listeners = new ConcurrentHashMap<>();
    private final AtomicLong clientIds = new AtomicLong();

    private LocalTransport() {}

    @Override
    public Connection connect(Address address, TransportOptions options) throws IOException {
        RealTransports.refuseInSimulation("connect over an in-JVM local transport to", address);
        Address.Local target = (Address.Local) address;
        LocalListener listener = listeners.get(target.name());
        if (listener == null) {
            throw new ConnectException("connection refused: no local server listens on " + address);
        }
        Address client = Address.local(target.name() + "#client-" + clientIds.incrementAndGet());
        LocalConnection clientEnd = new LocalConnection(client, target, options);
        LocalConnection serverEnd = new LocalConnection(target, client, listener.options);
        clientEnd.peer = serverEnd;
        serverEnd.peer = clientEnd;
        listener.onAccept.accept(serverEnd);
        return clientEnd;
    }

    @Override
    public Listener listen(Address address, TransportOptions options, Consumer<Connection> onAccept)
            throws IOException {
        RealTransports.refuseInSimulation("listen with an in-JVM local transport on", address);
        Address.Local local = (Address.Local) address;
        LocalListener listener = new LocalListener(local, options, onAccept);
        if (listeners.putIfAbsent(local.name(), listener) != null) {
            throw new IOException("cannot listen on " + address + ": address already in use");
        }
        return listener;
    }

    private final class LocalListener implements Listener {
        final Address.Local address;
        final TransportOptions options;
        final Consumer<Connection> onAccept;
        private final AtomicBoolean closed = new AtomicBoolean();

        LocalListener(Address.Local address, TransportOptions options, Consumer<Connection> onAccept) {
            this.address = address;
            this.options = options;
            this.onAccept = onAccept;
        }

        @Override
        public Address address() {
            return address;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                listeners.remove(address.name(), this);
            }
        }

        @Override
        public String toString() {
            return "Listener[" + address + "]";
        }
    }

    /**
     * One end of an in-JVM connection. Its inbox plays the part of a socket's receive buffer: it holds
     * at most this end's write buffer size in bytes (header included); the peer's writer takes credits
     * for the bytes of each frame and the reader gives them back. Counting bytes, not frames, keeps the
     * memory a stalled reader can pin near the buffer sizes, whatever the frame size. A frame larger than
     * the whole inbox takes all of it, so it passes once the inbox is empty.
     */
    private static final class LocalConnection extends FramedConnection {
        private final LinkedBlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
        private final int capacity;
        private final Semaphore credits;
        private volatile boolean ended;
        volatile LocalConnection peer;

        LocalConnection(Address local, Address remote, TransportOptions options) {
            super(local, remote, options);
            this.capacity = options.writeBufferSize();
            this.credits = new Semaphore(capacity);
        }

        /** {@return the inbox credits a frame of this length takes} */
        private int cost(byte[] frame) {
            return (int) Math.min(frame.length + 4L, capacity);
        }

        @Override
        byte[] readFrame() throws IOException {
            byte[] frame;
            try {
                frame = inbox.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading from " + this, e);
            }
            if (frame == EOF) {
                return null;
            }
            credits.release(cost(frame));
            if (frame.length > options.maxFrameSize()) {
                throw new ProtocolException("frame too large from " + remoteAddress() + ": " + frame.length
                        + " bytes (expected: <= " + options.maxFrameSize() + " bytes, the maximum frame size)");
            }
            return frame;
        }

        @Override
        void writeFrames(List<byte[]> frames) throws IOException {
            LocalConnection p = peer;
            for (byte[] f : frames) {
                try {
                    p.credits.acquire(p.cost(f));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while writing to " + this, e);
                }
                if (p.ended) {
                    throw new ClosedChannelException();
                }
                p.inbox.add(f);
            }
        }

        /**
         * The peer reads an end of stream after every frame this side wrote, and this side reads on
         * until the peer's end, as on a socket: frames the peer sent before it saw the close arrive.
         */
        @Override
        boolean shutdownOutput() {
            LocalConnection p = peer;
            if (p == null) {
                return false;
            }
            p.inbox.add(EOF);
            return true;
        }

        @Override
        void closeMedium() {
            // Both ends learn of the close: ours stops reading, the peer reads an end of stream.
            end();
            LocalConnection p = peer;
            if (p != null) {
                p.end();
            }
        }

        private void end() {
            if (!ended) {
                ended = true;
                inbox.add(EOF);
                credits.release(capacity); // a writer waiting for room must not wait forever
            }
        }
    }
}
