package io.loomas.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.transport.Fixtures.Recorder;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Listening: real ports for port 0, one listener per address, socket files, refusing after close. */
class ListenerTest {
    private static final Consumer<Connection> IGNORE = c -> c.start(new Recorder());

    private static Listener listen(Address address, Consumer<Connection> onAccept) throws IOException {
        return Transport.forAddress(address).listen(address, TransportOptions.DEFAULT, onAccept);
    }

    private static Listener listen(String transport, Address address, Consumer<Connection> onAccept)
            throws IOException {
        return Fixtures.transport(transport).listen(address, TransportOptions.DEFAULT, onAccept);
    }

    private static Connection connect(Address address) throws IOException {
        return Transport.forAddress(address).connect(address, TransportOptions.DEFAULT);
    }

    private static Connection connect(String transport, Address address) throws IOException {
        return Fixtures.transport(transport).connect(address, TransportOptions.DEFAULT);
    }

    /** Connects, sends one frame and checks the server got it. */
    private static void assertServes(Listener listener, Recorder server) throws IOException {
        assertServes(Transport.forAddress(listener.address()), listener, server);
    }

    private static void assertServes(Transport transport, Listener listener, Recorder server) throws IOException {
        Connection client = transport.connect(listener.address(), TransportOptions.DEFAULT);
        try {
            client.start(new Recorder());
            client.send("ping".getBytes(StandardCharsets.UTF_8));
            assertThat(server.next()).asString(StandardCharsets.UTF_8).isEqualTo("ping");
        } finally {
            client.close();
        }
    }

    @Test
    void portZeroGetsARealPortInTheAddress() throws IOException {
        Recorder server = new Recorder();
        try (Listener listener = listen(Address.tcp("127.0.0.1", 0), c -> c.start(server))) {
            Address.Tcp bound = (Address.Tcp) listener.address();
            assertThat(bound.host()).isEqualTo("127.0.0.1");
            assertThat(bound.port()).isBetween(1, 65535);
            assertServes(listener, server);
        }
    }

    @Test
    void listeningTwiceOnOneTcpPortFailsNamingTheAddress() throws IOException {
        try (Listener first = listen(Address.tcp("127.0.0.1", 0), IGNORE)) {
            Address taken = first.address();
            assertThatThrownBy(() -> listen(taken, IGNORE))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot listen on " + taken);
        }
    }

    @Test
    void listeningTwiceOnOneLocalNameFailsNamingTheAddress() throws IOException {
        Address address = Fixtures.freshAddress("local");
        try (Listener first = listen(address, IGNORE)) {
            assertThatThrownBy(() -> listen(address, IGNORE))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot listen on " + address)
                    .hasMessageContaining("already in use");
        }
    }

    @Test
    void listeningTwiceOnOneUnixPathFailsAndKeepsTheFirstServerReachable() throws IOException {
        Address address = Fixtures.freshAddress("unix");
        Recorder server = new Recorder();
        try (Listener first = listen(address, c -> c.start(server))) {
            assertThatThrownBy(() -> listen(address, IGNORE))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot listen on " + address)
                    .hasMessageContaining("already in use");
            assertServes(first, server);
        }
    }

    @Test
    void aUnixSocketFileIsRemovedOnClose() throws IOException {
        Address.Unix address = (Address.Unix) Fixtures.freshAddress("unix");
        Listener listener = listen(address, IGNORE);
        assertThat(address.path()).exists();
        listener.close();
        assertThat(address.path()).doesNotExist();
    }

    @Test
    void aStaleUnixSocketFileDoesNotPreventListening() throws IOException {
        Address.Unix address = (Address.Unix) Fixtures.freshAddress("unix");
        // A server that went away without cleaning up leaves its socket file behind.
        try (ServerSocketChannel dead = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(address.path()));
        }
        assertThat(address.path()).exists();
        Recorder server = new Recorder();
        try (Listener listener = listen(address, c -> c.start(server))) {
            assertServes(listener, server);
        }
    }

    @Test
    void aStaleRegularFileAtTheUnixPathDoesNotPreventListening() throws IOException {
        Address.Unix address = (Address.Unix) Fixtures.freshAddress("unix");
        Files.writeString(address.path(), "left over");
        Recorder server = new Recorder();
        try (Listener listener = listen(address, c -> c.start(server))) {
            assertServes(listener, server);
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void afterCloseConnectsAreRefused(String transport) throws IOException {
        Listener listener = listen(transport, Fixtures.freshAddress(transport), IGNORE);
        Address address = listener.address();
        listener.close();
        assertThatThrownBy(() -> connect(transport, address)).isInstanceOf(IOException.class);
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void closingTwiceDoesNothing(String transport) throws IOException {
        Listener listener = listen(transport, Fixtures.freshAddress(transport), IGNORE);
        listener.close();
        listener.close();
        assertThatThrownBy(() -> connect(transport, listener.address())).isInstanceOf(IOException.class);
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void connectionsAcceptedBeforeCloseStayOpen(String transport) throws IOException {
        Recorder server = new Recorder();
        Listener listener = listen(transport, Fixtures.freshAddress(transport), c -> c.start(server));
        Connection client = connect(transport, listener.address());
        try {
            client.start(new Recorder());
            client.send("before".getBytes(StandardCharsets.UTF_8));
            assertThat(server.next()).asString(StandardCharsets.UTF_8).isEqualTo("before");
            listener.close();
            client.send("after".getBytes(StandardCharsets.UTF_8));
            assertThat(server.next()).asString(StandardCharsets.UTF_8).isEqualTo("after");
        } finally {
            client.close();
            listener.close();
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void theAddressCanBeListenedOnAgainAfterClose(String transport) throws IOException {
        Address address = Fixtures.freshAddress(transport);
        Listener first = listen(transport, address, IGNORE);
        Address bound = first.address();
        first.close();
        Recorder server = new Recorder();
        try (Listener second = listen(transport, bound, c -> c.start(server))) {
            assertServes(Fixtures.transport(transport), second, server);
        }
    }

    @Test
    void connectingToAMissingSocketFileFailsWithAnIoException() {
        Path missing = Fixtures.freshSocketPath();
        assertThatThrownBy(() -> connect(Address.unix(missing))).isInstanceOf(IOException.class);
    }
}
