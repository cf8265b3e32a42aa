package io.loomas.transport;

import io.loomas.runtime.Clock;
import io.loomas.runtime.TimerHandle;
import io.loomas.runtime.internal.LogContext;
import io.loomas.transport.internal.RealTransports;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The transport {@link Transport#tls(TlsOptions)} returns; its contract is documented there. */
final class TlsTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(TlsTransport.class);
    /** How long a server waits for a peer to hang up after a failed handshake, so the peer reads the alert. */
    private static final int LINGER_MILLIS = 1000;
    /** How long a failed writer waits for the reader to report the alert that closed the socket. */
    private static final int READER_GRACE_MILLIS = 1000;

    private final TlsOptions options;

    TlsTransport(TlsOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** {@return the TLS settings of this transport} */
    public TlsOptions options() {
        return options;
    }

    /**
     * Opens one TCP connection to {@code address} and completes the TLS handshake as a client.
     *
     * @throws IOException if the peer cannot be reached, or the handshake fails or times out (the
     *     message names the address and the reason)
     * @throws IllegalArgumentException if {@code address} is not a TCP address
     */
    @Override
    public Connection connect(Address address, TransportOptions transportOptions) throws IOException {
        RealTransports.refuseInSimulation("connect over a real TLS socket to", address);
        Objects.requireNonNull(transportOptions, "transportOptions");
        Address.Tcp tcp = tcpAddress(address);
        Socket plain = new Socket();
        SSLSocket ssl;
        try {
            plain.setTcpNoDelay(true);
            KeepAlives.apply(plain, transportOptions.keepAlive());
            plain.connect(new InetSocketAddress(tcp.host(), tcp.port()));
            ssl = (SSLSocket) options.clientContext().getSocketFactory()
                    .createSocket(plain, tcp.host(), tcp.port(), true);
            ssl.setUseClientMode(true);
            SSLParameters parameters = ssl.getSSLParameters();
            parameters.setProtocols(options.protocols().toArray(String[]::new));
            if (options.hostnameVerification() == TlsOptions.HostnameVerification.ENABLED) {
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
            }
            ssl.setSSLParameters(parameters);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
        try {
            handshake(ssl, plain);
        } catch (IOException e) {
            plain.close();
            throw new IOException("TLS handshake with " + address + " failed: " + e.getMessage() + hint(e), e);
        }
        return new TlsConnection(ssl, plain, addressOf(plain.getLocalSocketAddress(), address), address,
                transportOptions);
    }

    /**
     * Listens on {@code address}; each client whose handshake succeeds goes to {@code onAccept},
     * on that client's handshake thread.
     *
     * @throws IOException if the address cannot be bound
     * @throws IllegalArgumentException if {@code address} is not a TCP address
     */
    @Override
    public Listener listen(Address address, TransportOptions transportOptions, Consumer<Connection> onAccept)
            throws IOException {
        RealTransports.refuseInSimulation("listen with a real TLS socket on", address);
        Objects.requireNonNull(transportOptions, "transportOptions");
        Objects.requireNonNull(onAccept, "onAccept");
        Address.Tcp tcp = tcpAddress(address);
        ServerSocket server = new ServerSocket();
        try {
            server.bind(new InetSocketAddress(tcp.host(), tcp.port()));
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
        TlsListener listener = new TlsListener(server, addressOf(server.getLocalSocketAddress(), address));
        listener.start(transportOptions, onAccept);
        return listener;
    }

    private static Address.Tcp tcpAddress(Address address) {
        Objects.requireNonNull(address, "address");
        if (address instanceof Address.Tcp tcp) {
            return tcp;
        }
        throw new IllegalArgumentException("TLS transport address is not TCP: " + address
                + " (expected: tcp://host:port); use the plain transport for Unix sockets and local queues");
    }

    /**
     * Runs the handshake within {@link TlsOptions#handshakeTimeout()} from now. A read timeout alone
     * restarts with every byte, so a peer sending one byte a second would hold the handshake open
     * for ever: a timer closes the socket at the deadline.
     */
    private void handshake(SSLSocket ssl, Socket plain) throws IOException {
        Duration timeout = options.handshakeTimeout();
        ssl.setSoTimeout((int) timeout.toMillis());
        AtomicBoolean overdue = new AtomicBoolean();
        Clock system = Clock.system();
        TimerHandle deadline = system.schedule(system.now().plus(timeout), () -> {
            overdue.set(true);
            AcceptingListener.closeQuietly(plain);
        });
        try {
            ssl.startHandshake();
        } catch (IOException e) {
            if (overdue.get() || e instanceof SocketTimeoutException) {
                throw new SSLHandshakeException("no handshake within " + timeout
                        + " (expected: within TlsOptions.handshakeTimeout())");
            }
            throw e;
        } finally {
            deadline.cancel();
        }
        if (overdue.get()) {
            throw new SSLHandshakeException("no handshake within " + timeout
                    + " (expected: within TlsOptions.handshakeTimeout())");
        }
        ssl.setSoTimeout(0);
    }

    /** A remedy for the handshake failures whose JDK messages leave the reader guessing. */
    private static String hint(IOException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("terminated the handshake") || m.contains("Connection reset")) {
            return "; the peer hung up during the handshake: does it speak TLS (Transport.tls on both sides)?";
        }
        if (m.contains("Unsupported or unrecognized SSL message")) {
            return "; the peer does not speak TLS: use the plain transport, or Transport.tls on both sides";
        }
        if (m.contains("No subject alternative")) {
            return "; the server's certificate does not name the host connected to: connect by a name it lists, "
                    + "or issue it with that name (keytool -ext san=dns:HOST,ip:ADDRESS)";
        }
        if (m.contains("PKIX path building failed")) {
            return "; the peer's certificate is not issued by a trusted CA: check the CA file of this side";
        }
        return "";
    }

    private static Address addressOf(SocketAddress socketAddress, Address fallback) {
        if (socketAddress instanceof InetSocketAddress inet) {
            return Address.tcp(inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString(),
                    inet.getPort());
        }
        return fallback;
    }

    @Override
    public String toString() {
        return "TlsTransport[" + options.protocols() + ", clientAuth=" + options.clientAuth() + "]";
    }

    /** A TLS listener: each admitted client (a handshake holds a descriptor too) shakes hands on a thread of its own. */
    private final class TlsListener extends AcceptingListener<Socket> {
        private final ServerSocket server;
        private final Address address;
        private final Set<Socket> handshaking = ConcurrentHashMap.newKeySet();

        TlsListener(ServerSocket server, Address address) {
            super(address);
            this.server = server;
            this.address = address;
        }

        @Override
        Socket accept() throws IOException {
            return server.accept();
        }

        @Override
        void handOver(Socket plain, TransportOptions transportOptions, Consumer<Connection> onAccept, Admission admission) {
            handshaking.add(plain);
            if (isClosing()) { // close() may have missed this socket
                AcceptingListener.closeQuietly(plain);
                admission.ended();
                return;
            }
            String loop = LogContext.currentLoop();
            Thread.ofVirtual().name("handshake " + plain.getRemoteSocketAddress()).start(() -> {
                LogContext.enterThread(loop, addressOf(plain.getRemoteSocketAddress(), address));
                accept(plain, transportOptions, onAccept, admission);
            });
        }

        /** Runs one client's handshake, then hands the connection on; a failure closes only this client. */
        private void accept(Socket plain, TransportOptions transportOptions, Consumer<Connection> onAccept,
                Admission admission) {
            Address remote = addressOf(plain.getRemoteSocketAddress(), address);
            SSLSocket ssl = null;
            try {
                plain.setTcpNoDelay(true);
                KeepAlives.apply(plain, transportOptions.keepAlive());
                // Not auto-closing: after a failed handshake the server lingers on the plain socket.
                ssl = (SSLSocket) options.serverContext().getSocketFactory().createSocket(plain, null, false);
                ssl.setUseClientMode(false);
                SSLParameters parameters = ssl.getSSLParameters();
                parameters.setProtocols(options.protocols().toArray(String[]::new));
                switch (options.clientAuth()) {
                    case REQUIRED -> parameters.setNeedClientAuth(true);
                    case REQUESTED -> parameters.setWantClientAuth(true);
                    case NONE -> parameters.setNeedClientAuth(false);
                }
                ssl.setSSLParameters(parameters);
                handshake(ssl, plain);
            } catch (IOException | RuntimeException e) {
                handshaking.remove(plain);
                if (!isClosing()) {
                    log.warn("TLS handshake with {} on {} failed: {}", remote, address, e.getMessage());
                    lingerAndClose(plain);
                } else {
                    AcceptingListener.closeQuietly(plain);
                }
                admission.ended();
                return;
            }
            handshaking.remove(plain);
            if (isClosing()) {
                AcceptingListener.closeQuietly(plain);
                admission.ended();
                return;
            }
            TlsConnection c = null;
            try {
                c = new TlsConnection(ssl, plain, address, remote, transportOptions);
                c.afterEnd(admission::ended);
                onAccept.accept(c);
            } catch (IOException | RuntimeException e) {
                log.warn("Listener {} could not take a connection: {}", address, e.toString());
                if (c != null) {
                    c.close(); // its end gives the admission back
                } else {
                    admission.ended();
                }
                AcceptingListener.closeQuietly(plain);
            }
        }

        /**
         * Closes after a failed handshake without resetting the connection: a reset could destroy
         * the alert that tells the peer why, before the peer reads it.
         */
        private void lingerAndClose(Socket plain) {
            try {
                plain.shutdownOutput();
                plain.setSoTimeout(LINGER_MILLIS);
                InputStream in = plain.getInputStream();
                byte[] sink = new byte[4096];
                while (in.read(sink) >= 0) {
                    // discard until the peer hangs up
                }
            } catch (IOException e) {
                // timed out or reset: close anyway
            } finally {
                AcceptingListener.closeQuietly(plain);
            }
        }

        @Override
        void closeServer() {
            AcceptingListener.closeQuietly(server);
            for (Socket s : handshaking) {
                AcceptingListener.closeQuietly(s);
            }
        }

        @Override
        public String toString() {
            return "Listener[" + address + ", TLS]";
        }
    }


    /** A connection over a TLS socket: 4-byte big-endian length, then the payload, as on plain TCP. */
    static final class TlsConnection extends FramedConnection {
        private final SSLSocket ssl;
        private final Socket plain;
        private final FrameReader reader;
        private final OutputStream out;
        /** Held while writing, so a close knows whether it may send close_notify without waiting. */
        private final ReentrantLock writing = new ReentrantLock();
        private final AtomicBoolean mediumClosed = new AtomicBoolean();
        /** Counted down when the reader stops; {@link #readFailure} is set before if it failed on TLS. */
        private final CountDownLatch readEnded = new CountDownLatch(1);
        private volatile SSLException readFailure;

        TlsConnection(SSLSocket ssl, Socket plain, Address local, Address remote, TransportOptions options)
                throws IOException {
            super(local, remote, options);
            this.ssl = ssl;
            this.plain = plain;
            this.reader = new FrameReader(java.nio.channels.Channels.newChannel(ssl.getInputStream()),
                    options.maxFrameSize(), toString(), remote, false, this::waitingInsideFrame);
            this.out = new BufferedOutputStream(ssl.getOutputStream(), 64 * 1024);
        }

        /** {@return the TLS session: protocol, cipher suite, peer certificates} */
        SSLSession session() {
            return ssl.getSession();
        }

        @Override
        public List<java.security.cert.X509Certificate> peerCertificates() {
            try {
                return java.util.Arrays.stream(ssl.getSession().getPeerCertificates())
                        .filter(java.security.cert.X509Certificate.class::isInstance)
                        .map(java.security.cert.X509Certificate.class::cast).toList();
            } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                return List.of(); // the peer sent no certificate (a server that asks none)
            }
        }

        /** {@return the protocol versions enabled on this connection's socket} */
        List<String> enabledProtocols() {
            return List.of(ssl.getEnabledProtocols());
        }

        @Override
        byte[] readFrame() throws IOException {
            try {
                byte[] frame = reader.next();
                if (frame == null) {
                    readEnded.countDown();
                }
                return frame;
            } catch (SSLException e) {
                readFailure = new SSLException("TLS connection " + this + " failed: " + e.getMessage(), e);
                readEnded.countDown();
                throw readFailure;
            } catch (IOException | RuntimeException e) {
                readEnded.countDown();
                throw e;
            }
        }

        @Override
        void writeFrames(List<byte[]> frames) throws IOException {
            writing.lock();
            try {
                byte[] head = new byte[4];
                for (byte[] f : frames) {
                    head[0] = (byte) (f.length >>> 24);
                    head[1] = (byte) (f.length >>> 16);
                    head[2] = (byte) (f.length >>> 8);
                    head[3] = (byte) f.length;
                    out.write(head);
                    out.write(f);
                }
                out.flush();
            } catch (IOException e) {
                if (mediumClosed.get()) {
                    throw new java.nio.channels.ClosedChannelException();
                }
                // A fatal alert from the peer (say, a rejected client certificate) closes the TLS
                // socket under the writer too, which then only learns "outbound has closed". The
                // reader is about to report the alert itself: let that be the connection's error.
                SSLException why = awaitReadFailure();
                throw why != null ? new SSLException(why.getMessage(), why) : e;
            } finally {
                writing.unlock();
            }
        }

        /** {@return the reader's TLS failure, waiting up to a second for the reader to stop; {@code null} if none} */
        private SSLException awaitReadFailure() {
            try {
                readEnded.await(READER_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return readFailure;
        }

        /**
         * Sends close_notify and half-closes the TCP connection, reading on until the peer's end: as
         * on plain TCP, closing at once with unread incoming bytes would reset the connection and the
         * peer would lose the last frames. (TLSv1.2 has no half-close: a JDK peer answers with its
         * own close_notify and can send no more.)
         */
        @Override
        boolean shutdownOutput() throws IOException {
            writing.lock();
            try {
                ssl.shutdownOutput();
                if (!plain.isOutputShutdown()) {
                    plain.shutdownOutput();
                }
                return true;
            } finally {
                writing.unlock();
            }
        }

        @Override
        void closeMedium() {
            if (!mediumClosed.compareAndSet(false, true)) {
                return;
            }
            // A writer blocked on a peer that does not read would hold up close_notify: then close hard.
            if (writing.tryLock()) {
                try {
                    ssl.close();
                } catch (IOException e) {
                    log.debug("Closing {} failed", this, e);
                } finally {
                    writing.unlock();
                }
            }
            AcceptingListener.closeQuietly(plain);
        }
    }
}
