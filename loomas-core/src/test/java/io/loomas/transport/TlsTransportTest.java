package io.loomas.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.channel.Channel;
import io.loomas.channel.ChannelOptions;
import io.loomas.channel.Channels;
import io.loomas.channel.ConnectionHandler;
import io.loomas.channel.Request;
import io.loomas.channel.Server;
import io.loomas.codec.Codec;
import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Promise;
import io.loomas.runtime.Task;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The TLS transport under the channel layer: replies, concurrency and bad input as on plain TCP,
 * and the ways a handshake must fail (plain-text peer, missing or foreign client certificate,
 * wrong host name, old protocol) without stopping the server from serving good clients.
 */
class TlsTransportTest {
    @TempDir
    static Path dir;

    static TestCertificates certs;
    static Transport serverTls;
    static Transport clientTls;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCertificates.create(dir);
        serverTls = Transport.tls(certs.options());
        clientTls = serverTls; // one transport does both roles
        // One handshake first, so that the JDK's TLS start-up is not counted in the timed checks.
        Promise<Connection> accepted = new Promise<>();
        try (Listener warm = serverTls.listen(Address.tcp("127.0.0.1", 0), TransportOptions.DEFAULT, accepted::complete)) {
            clientTls.connect(warm.address(), TransportOptions.DEFAULT).close();
            accepted.await().close();
        }
    }

    static Stream<Codec> codecs() {
        return Stream.of(Codec.json(), Codec.msgpack());
    }

    /** A handler that answers every request with {@code "served " + content}, and completes {@code ended} at the end. */
    static ConnectionHandler serving(Promise<Throwable> ended) {
        return channel -> {
            while (true) {
                Request r;
                try {
                    r = channel.recv();
                } catch (ConnectionClosedException e) {
                    ended.complete(e);
                    return;
                }
                r.reply("served " + r.content());
            }
        };
    }

    static ConnectionHandler serving() {
        return serving(new Promise<>());
    }

    interface Body {
        void run(Server server, ChannelOptions options) throws Exception;
    }

    /** Starts a TLS channel server on a free port of 127.0.0.1, runs {@code body}, closes the server. */
    static void withServer(ChannelOptions options, ConnectionHandler handler, Body body) {
        Loop.run(() -> {
            Server server = Channels.startServer(Address.tcp("127.0.0.1", 0), handler, options);
            try {
                body.run(server, options);
            } finally {
                server.close();
                server.awaitClosed();
            }
            return null;
        });
    }

    /** Checks that a well-behaved TLS client is served by {@code server}. */
    /** A well-behaved client connects (handshake included) and gets its answer within a second. */
    static void assertGoodClientIsServed(Server server, ChannelOptions options) throws IOException {
        long start = System.nanoTime();
        try (Channel good = Channels.connect(server.address(), options.withTransport(clientTls))) {
            assertThat(good.send("hello")).isEqualTo("served hello");
        }
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
                .as("a well-behaved client's connect and call").isLessThan(java.time.Duration.ofSeconds(1));
    }

    static ChannelOptions tlsOptions(Codec codec) {
        return ChannelOptions.DEFAULT.withCodec(codec).withTransport(serverTls);
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("codecs")
    void aRequestGetsItsReplyOverTls(Codec codec) {
        withServer(tlsOptions(codec), serving(), (server, options) -> {
            try (Channel client = Channels.connect(server.address(), options.withTransport(clientTls))) {
                assertThat(client.send("ohai")).isEqualTo("served ohai");
            }
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("codecs")
    void thousandConcurrentSendsEachGetTheirOwnReplyOverTls(Codec codec) {
        withServer(tlsOptions(codec), serving(), (server, options) -> {
            try (Channel client = Channels.connect(server.address(), options.withTransport(clientTls))) {
                Loop loop = Loop.current();
                List<Task<Object>> calls = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    String msg = "m" + i;
                    calls.add(loop.spawn(() -> client.send(msg)));
                }
                List<Object> replies = Future.all(calls).await();
                for (int i = 0; i < 1000; i++) {
                    assertThat(replies.get(i)).isEqualTo("served m" + i);
                }
            }
        });
    }

    @Test
    void largeFramesCrossTheTlsRecordBoundaries() {
        String big = "x".repeat(1_000_000); // about 62 TLS records
        withServer(tlsOptions(Codec.json()), serving(), (server, options) -> {
            try (Channel client = Channels.connect(server.address(), options.withTransport(clientTls))) {
                assertThat(client.send(big)).isEqualTo("served " + big);
            }
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("codecs")
    void anOversizedFrameClosesOnlyThatConnection(Codec codec) {
        Promise<Throwable> firstEnded = new Promise<>();
        ChannelOptions options = tlsOptions(codec).withMaxFrameSize(1024);
        withServer(options, serving(firstEnded), (server, opts) -> {
            Loop.current().offload(() -> {
                try (SSLSocket raw = rawClient(server.address(), certs.clientContext())) {
                    raw.getOutputStream().write(ByteBuffer.allocate(4).putInt(100 * 1024 * 1024).array());
                    raw.getOutputStream().flush();
                    awaitHangUp(raw.getInputStream());
                }
                return null;
            }).await();
            assertThat(firstEnded.await()).hasMessageContaining("frame too large from");
            assertGoodClientIsServed(server, opts);
        });
    }

    @Test
    void aTruncatedFrameIsAProtocolError() {
        Promise<Throwable> firstEnded = new Promise<>();
        withServer(tlsOptions(Codec.json()), serving(firstEnded), (server, options) -> {
            Loop.current().offload(() -> {
                try (SSLSocket raw = rawClient(server.address(), certs.clientContext())) {
                    raw.getOutputStream().write(ByteBuffer.allocate(9).putInt(20).put("[0, 0".getBytes()).array());
                    raw.getOutputStream().flush();
                    raw.shutdownOutput();
                    awaitHangUp(raw.getInputStream());
                }
                return null;
            }).await();
            assertThat(firstEnded.await()).hasMessageContaining("ended inside a frame: got 5 of 20 bytes");
            assertGoodClientIsServed(server, options);
        });
    }

    @Test
    void aPlainTextClientGetsAClearErrorAndTheServerGoesOn() {
        withServer(tlsOptions(Codec.json()), serving(), (server, options) -> {
            assertThatThrownBy(() -> {
                try (Channel plain = Channels.connect(server.address(), ChannelOptions.DEFAULT)) {
                    plain.send("hello");
                }
            }).isInstanceOf(ConnectionClosedException.class).hasMessageContaining("the peer speaks TLS");
            assertGoodClientIsServed(server, options);
        });
    }

    @Test
    void aTlsClientOfAPlainServerGetsAClearError() {
        withServer(ChannelOptions.DEFAULT, serving(), (server, options) -> {
            assertThatThrownBy(() -> Channels.connect(server.address(), options.withTransport(clientTls)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("TLS handshake with " + server.address() + " failed")
                    .hasMessageContaining("does it speak TLS");
        });
    }

    @Test
    void aClientWithoutCertificateIsRejectedAndTheServerGoesOn() throws IOException {
        Transport noCertificate = Transport.tls(TlsOptions.of(Tls.clientContext(certs.ca())));
        assertClientRejected(noCertificate, "certificate_required");
    }

    @Test
    void aClientWithACertificateFromAnotherCaIsRejectedAndTheServerGoesOn() throws IOException {
        SSLContext foreign = Tls.clientContext(certs.ca(), certs.otherClient().chain(), certs.otherClient().key());
        // The server names its CA in the certificate request; the client has no certificate of it to offer.
        assertClientRejected(Transport.tls(TlsOptions.of(foreign)), "certificate_required");
    }

    @Test
    void aClientPresentingACertificateFromAnotherCaIsRejectedAndTheServerGoesOn() throws Exception {
        assertClientRejected(Transport.tls(TlsOptions.of(pushyContext(certs.otherClient()))), "certificate_unknown");
    }

    /**
     * A client context that presents {@code identity} even when the server asks for certificates
     * of another CA (the JDK's own key manager would send none), so the server's trust check runs.
     */
    private static SSLContext pushyContext(TestCertificates.Identity identity) throws Exception {
        java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("key", Tls.readPrivateKey(identity.key()), "pw".toCharArray(),
                Tls.readCertificates(identity.chain(), "chain").toArray(java.security.cert.Certificate[]::new));
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
        kmf.init(keys, "pw".toCharArray());
        javax.net.ssl.X509ExtendedKeyManager jdk = (javax.net.ssl.X509ExtendedKeyManager) kmf.getKeyManagers()[0];
        javax.net.ssl.X509ExtendedKeyManager pushy = new javax.net.ssl.X509ExtendedKeyManager() {
            @Override
            public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
                return jdk.getClientAliases(keyType, null);
            }

            @Override
            public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers,
                    java.net.Socket socket) {
                return jdk.chooseClientAlias(keyType, null, socket);
            }

            @Override
            public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
                return jdk.getServerAliases(keyType, issuers);
            }

            @Override
            public String chooseServerAlias(String keyType, java.security.Principal[] issuers,
                    java.net.Socket socket) {
                return jdk.chooseServerAlias(keyType, issuers, socket);
            }

            @Override
            public java.security.cert.X509Certificate[] getCertificateChain(String alias) {
                return jdk.getCertificateChain(alias);
            }

            @Override
            public java.security.PrivateKey getPrivateKey(String alias) {
                return jdk.getPrivateKey(alias);
            }
        };
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", Tls.readCertificates(certs.ca(), "ca").get(0));
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new javax.net.ssl.KeyManager[] {pushy}, tmf.getTrustManagers(), null);
        return context;
    }

    /** The client's handshake may finish before the server checks its certificate (TLSv1.3): then the first send fails. */
    private static void assertClientRejected(Transport client, String alert) {
        withServer(tlsOptions(Codec.json()), serving(), (server, options) -> {
            assertThatThrownBy(() -> {
                try (Channel rejected = Channels.connect(server.address(), options.withTransport(client))) {
                    rejected.send("hello");
                }
            }).hasMessageContaining(alert);
            assertGoodClientIsServed(server, options);
        });
    }

    @Test
    void aServerThatAsksNoCertificateServesAClientWithout() throws IOException {
        Transport server = Transport.tls(certs.options().withClientAuth(TlsOptions.ClientAuth.NONE));
        Transport client = Transport.tls(TlsOptions.of(Tls.clientContext(certs.ca())));
        withServer(tlsOptions(Codec.json()).withTransport(server), serving(), (s, options) -> {
            try (Channel c = Channels.connect(s.address(), options.withTransport(client))) {
                assertThat(c.send("hello")).isEqualTo("served hello");
            }
        });
    }

    @Test
    void aServerCertificateForAnotherHostIsRejectedByTheClient() throws IOException {
        SSLContext wrongHost = Tls.serverContext(certs.ca(), certs.wrongHostServer().chain(),
                certs.wrongHostServer().key());
        Transport server = Transport.tls(TlsOptions.of(wrongHost));
        withServer(tlsOptions(Codec.json()).withTransport(server), serving(), (s, options) -> {
            assertThatThrownBy(() -> Channels.connect(s.address(), options.withTransport(clientTls)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("TLS handshake with " + s.address() + " failed")
                    .hasMessageContaining("127.0.0.1")
                    .hasMessageContaining("does not name the host connected to");
        });
    }

    /** A transport that counts its connect attempts. */
    private static final class Counting implements Transport {
        final Transport inner;
        final java.util.concurrent.atomic.AtomicInteger connects = new java.util.concurrent.atomic.AtomicInteger();

        Counting(Transport inner) {
            this.inner = inner;
        }

        @Override
        public Connection connect(Address address, TransportOptions options) throws IOException {
            connects.incrementAndGet();
            return inner.connect(address, options);
        }

        @Override
        public Listener listen(Address address, TransportOptions options, java.util.function.Consumer<Connection> onAccept)
                throws IOException {
            return inner.listen(address, options, onAccept);
        }

        @Override
        public boolean connectBlocks() {
            return inner.connectBlocks();
        }
    }

    @Test
    void aHandshakeThatCanNeverSucceedIsNotRetriedWithinTheConnectTimeout() throws IOException {
        SSLContext wrongHost = Tls.serverContext(certs.ca(), certs.wrongHostServer().chain(),
                certs.wrongHostServer().key());
        Transport server = Transport.tls(TlsOptions.of(wrongHost));
        withServer(tlsOptions(Codec.json()).withTransport(server), serving(), (s, options) -> {
            Counting client = new Counting(clientTls);
            // A minute to retry in: a certificate for another host would be refused every time.
            assertThatThrownBy(() -> Channels.connect(s.address(), options.withTransport(client)
                    .withConnectTimeout(java.time.Duration.ofMinutes(1))))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("does not name the host connected to")
                    .hasMessageContaining("not retried");
            assertThat(client.connects).as("connect attempts").hasValue(1);
        });
        // A refused connect may work later (the server is starting): that one is retried.
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort(); // free again once closed: nothing listens there
        }
        Counting client = new Counting(clientTls);
        Loop.run(() -> {
            assertThatThrownBy(() -> Channels.connect(Address.tcp("127.0.0.1", port), ChannelOptions.DEFAULT
                    .withTransport(client).withConnectTimeout(java.time.Duration.ofSeconds(1)))).isInstanceOf(IOException.class)
                    .hasMessageNotContaining("not retried");
            return null;
        });
        assertThat(client.connects.get()).as("connect attempts within a second").isGreaterThan(1);
    }

    @Test
    void theHostNameIsCheckedByNameToo() throws IOException {
        withServer(tlsOptions(Codec.json()), serving(), (server, options) -> {
            int port = ((Address.Tcp) server.address()).port();
            try (Channel c = Channels.connect(Address.tcp("localhost", port), options.withTransport(clientTls))) {
                assertThat(c.send("hello")).isEqualTo("served hello");
            }
        });
    }

    @Test
    void aServerCertificateForAnotherHostPassesWhenHostnameVerificationIsDisabled() throws IOException {
        SSLContext wrongHost = Tls.serverContext(certs.ca(), certs.wrongHostServer().chain(),
                certs.wrongHostServer().key());
        Transport server = Transport.tls(TlsOptions.of(wrongHost));
        Transport lax = Transport.tls(certs.options()
                .withHostnameVerification(TlsOptions.HostnameVerification.DISABLED));
        withServer(tlsOptions(Codec.json()).withTransport(server), serving(), (s, options) -> {
            try (Channel c = Channels.connect(s.address(), options.withTransport(lax))) {
                assertThat(c.send("hello")).isEqualTo("served hello");
            }
        });
    }

    @Test
    void connectionsUseTls13AndEnableNothingOlderThanTls12() throws IOException {
        withConnectionPair(Transport.tls(certs.options()), connection -> {
            assertThat(connection.session().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(connection.enabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        });
    }

    @Test
    void aClientLimitedToTls12StillConnects() throws IOException {
        withConnectionPair(Transport.tls(certs.options().withProtocols(List.of("TLSv1.2"))),
                connection -> assertThat(connection.session().getProtocol()).isEqualTo("TLSv1.2"));
    }

    /** TLSv1.2 has no half-close, but what was queued before the close still arrives whole. */
    @Test
    void onTls12AnOrderlyCloseStillDeliversEveryQueuedFrame() throws IOException {
        CloseTest.assertCloseDeliversQueuedFramesWithUnreadIncomingData(
                Transport.tls(certs.options().withProtocols(List.of("TLSv1.2"))), Address.tcp("127.0.0.1", 0));
    }

    @Test
    void aClientOfferingOnlyTls11CannotConnect() throws Exception {
        withServer(tlsOptions(Codec.json()), serving(), (server, options) -> {
            Loop.current().offload(() -> {
                assertThatThrownBy(() -> {
                    try (SSLSocket raw = rawSocket(server.address(), certs.clientContext())) {
                        raw.setEnabledProtocols(new String[] {"TLSv1.1"});
                        raw.startHandshake();
                    }
                }).isInstanceOf(SSLException.class);
                return null;
            }).await();
            assertGoodClientIsServed(server, options);
        });
    }

    @Test
    void olderProtocolsCannotBeConfigured() throws IOException {
        TlsOptions options = certs.options();
        assertThatThrownBy(() -> options.withProtocols(List.of("TLSv1.3", "TLSv1.1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("protocol not supported: TLSv1.1 (expected: one of [TLSv1.3, TLSv1.2]); "
                        + "older TLS versions are not allowed");
        assertThatThrownBy(() -> options.withProtocols(List.of())).hasMessageContaining("protocols must not be empty");
    }

    @Test
    void onlyTcpAddressesAreAccepted() {
        Transport tls = serverTls;
        assertThatThrownBy(() -> tls.connect(Address.local("x"), TransportOptions.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("TLS transport address is not TCP: local://x (expected: tcp://host:port)");
    }

    @Test
    void aSilentClientTimesOutItsHandshakeAndTheServerGoesOn() throws IOException {
        Transport impatient = Transport.tls(certs.options().withHandshakeTimeout(java.time.Duration.ofMillis(200)));
        withServer(tlsOptions(Codec.json()).withTransport(impatient), serving(), (server, options) -> {
            Loop.current().offload(() -> {
                Address.Tcp a = (Address.Tcp) server.address();
                try (java.net.Socket silent = new java.net.Socket(a.host(), a.port())) {
                    assertGoodClientIsServed(server, options); // while the silent one holds its handshake open
                    awaitHangUp(silent.getInputStream()); // then the server gives up on it
                }
                return null;
            }).await();
        });
    }

    /**
     * Regression: the handshake timeout was a read timeout, which restarts with every byte, so a
     * ClientHello sent one byte at a time held the handshake open for ever.
     */
    @Test
    void aClientThatDribblesItsHandshakeIsDroppedAtTheDeadline() throws IOException {
        Transport impatient = Transport.tls(certs.options().withHandshakeTimeout(java.time.Duration.ofMillis(500)));
        withServer(tlsOptions(Codec.json()).withTransport(impatient), serving(), (server, options) -> {
            Loop.current().offload(() -> {
                Address.Tcp a = (Address.Tcp) server.address();
                try (java.net.Socket slow = new java.net.Socket(a.host(), a.port())) {
                    long start = System.nanoTime();
                    // A TLS handshake record of 512 bytes, one byte per 100 ms (each well within the timeout).
                    byte[] hello = new byte[5 + 512];
                    java.nio.ByteBuffer.wrap(hello).put((byte) 22).put((byte) 3).put((byte) 1).putShort((short) 512);
                    java.util.concurrent.ScheduledExecutorService dribble =
                            java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
                    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
                    dribble.scheduleAtFixedRate(() -> {
                        try {
                            int i = next.getAndIncrement();
                            if (i < hello.length) {
                                slow.getOutputStream().write(hello[i]);
                            }
                        } catch (IOException e) {
                            // the server hung up
                        }
                    }, 0, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
                    try {
                        assertGoodClientIsServed(server, options); // while the slow one holds a handshake open
                        awaitHangUp(slow.getInputStream());
                    } finally {
                        dribble.shutdownNow();
                    }
                    assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
                            .as("time until the server dropped the dribbling client")
                            .isLessThan(java.time.Duration.ofSeconds(3));
                    assertThat(next.get()).as("bytes the client got to send").isLessThan(40);
                }
                return null;
            }).await();
        });
    }

    interface ConnectionCheck {
        void check(TlsTransport.TlsConnection connection) throws Exception;
    }

    /** Connects {@code client} to a TLS listener and runs {@code check} on the client's connection. */
    private static void withConnectionPair(Transport client, ConnectionCheck check) throws IOException {
        Promise<Connection> accepted = new Promise<>();
        try (Listener listener = serverTls.listen(Address.tcp("127.0.0.1", 0), TransportOptions.DEFAULT,
                accepted::complete)) {
            Connection c = client.connect(listener.address(), TransportOptions.DEFAULT);
            try {
                check.check((TlsTransport.TlsConnection) c);
                check.check((TlsTransport.TlsConnection) accepted.await());
            } catch (Exception e) {
                throw new AssertionError(e);
            } finally {
                c.close();
                accepted.await().close();
            }
        }
    }

    private static SSLSocket rawSocket(Address address, SSLContext context) throws IOException {
        Address.Tcp a = (Address.Tcp) address;
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(a.host(), a.port());
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(p);
        return s;
    }

    private static SSLSocket rawClient(Address address, SSLContext context) throws IOException {
        SSLSocket s = rawSocket(address, context);
        s.startHandshake();
        return s;
    }

    /** Reads until the peer hangs up. */
    private static void awaitHangUp(InputStream in) {
        try {
            byte[] sink = new byte[256];
            while (in.read(sink) >= 0) {
                // until the server closes
            }
        } catch (IOException e) {
            // a reset or an alert is also a way to hang up
        }
    }

}
