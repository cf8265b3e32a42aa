package io.loomas.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.transport.Fixtures.Recorder;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The text forms of addresses: {@code tcp://host:port}, {@code ipc://path}, {@code local://name}. */
class AddressTest {

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"tcp://127.0.0.1:1234", "tcp://example.org:80", "tcp://localhost:0",
            "tcp://[::1]:1234", "tcp://[2001:db8::7]:65535", "ipc:///tmp/loomas.sock", "ipc://relative/s",
            "local://queue-1"})
    void parseReadsWhatToStringWrites(String text) {
        assertThat(Address.parse(text).toString()).isEqualTo(text);
    }

    @Test
    void parseGivesTheMatchingKindOfAddress() {
        assertThat(Address.parse("tcp://10.0.0.1:99")).isEqualTo(Address.tcp("10.0.0.1", 99));
        assertThat(Address.parse("tcp://[::1]:1234")).isEqualTo(Address.tcp("::1", 1234));
        assertThat(Address.parse("ipc:///tmp/x.sock")).isEqualTo(Address.unix(Path.of("/tmp/x.sock")));
        assertThat(Address.parse("local://q")).isEqualTo(Address.local("q"));
    }

    @Test
    void anIpv6HostIsWrittenInBrackets() {
        assertThat(Address.tcp("::1", 8080)).hasToString("tcp://[::1]:8080");
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "127.0.0.1:1234", "http://host:1", "tcp://host", "tcp://host:", "tcp://:1234",
            "tcp://host:port", "tcp://ho st:1", "tcp://[::1]", "tcp://host:1/path", "tcp://user@host:1",
            "tcp://host:1?x=1", "tcp://host:1#f", "ipc://", "local://", "TCP://host:1"})
    void malformedTextIsRejectedQuotingItAndListingTheExpectedForms(String text) {
        assertThatThrownBy(() -> Address.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + text + "\"")
                .hasMessageContaining("tcp://host:port")
                .hasMessageContaining("ipc://path")
                .hasMessageContaining("local://name");
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(ints = {-1, 65536, 100000})
    void aPortOutOfRangeIsRejected(int port) {
        assertThatThrownBy(() -> Address.tcp("localhost", port))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port out of range: " + port)
                .hasMessageContaining("0..65535");
    }

    @Test
    void parsingAPortOutOfRangeIsRejectedQuotingTheText() {
        assertThatThrownBy(() -> Address.parse("tcp://localhost:65536"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"tcp://localhost:65536\"")
                .hasMessageContaining("0..65535");
    }

    @Test
    void anEmptyLocalNameIsRejected() {
        assertThatThrownBy(() -> Address.local("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be empty");
    }

    private static boolean hasIpv6Loopback() {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress("::1", 0));
            return NetworkInterface.networkInterfaces().anyMatch(i -> i.inetAddresses()
                    .anyMatch(a -> a instanceof Inet6Address && a.isLoopbackAddress()));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Test
    void aConnectionOverIpv6LoopbackCarriesFrames() throws IOException {
        Assumptions.assumeTrue(hasIpv6Loopback(), "this machine has no IPv6 loopback");
        Recorder server = new Recorder();
        Address address = Address.parse("tcp://[::1]:0");
        try (Listener listener = Transport.forAddress(address).listen(address, TransportOptions.DEFAULT,
                c -> c.start(server))) {
            assertThat(listener.address()).isInstanceOf(Address.Tcp.class);
            Address.Tcp bound = (Address.Tcp) listener.address();
            assertThat(bound.host()).isEqualTo("0:0:0:0:0:0:0:1");
            assertThat(bound.port()).isPositive();
            assertThat(Address.parse(bound.toString())).isEqualTo(bound);
            Connection client = Transport.forAddress(bound).connect(bound, TransportOptions.DEFAULT);
            try {
                client.start(new Recorder());
                client.send("over ::1".getBytes(StandardCharsets.UTF_8));
                assertThat(server.next()).asString(StandardCharsets.UTF_8).isEqualTo("over ::1");
            } finally {
                client.close();
            }
        }
    }
}
