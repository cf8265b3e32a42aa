package io.loomas.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.loomas.channel.Channel;
import io.loomas.channel.ChannelOptions;
import io.loomas.channel.Channels;
import io.loomas.channel.Server;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Promise;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TCP keepalive against a peer that vanishes for real: a shell (TCP) or openssl's client (TLS) in
 * its own network namespace holds connections to loomas servers, then its network link goes down,
 * so it sends no reset and no end, and answers nothing. Needs root and iproute2
 * ({@code ip netns}); skipped without them.
 */
class KeepAliveTest {
    private static final String NS = "lmka" + ProcessHandle.current().pid() % 100_000;
    private static final String HOST_LINK = NS + "h", PEER_LINK = NS + "p";
    private static final int NET = (int) (ProcessHandle.current().pid() % 200) + 20;
    private static final String HOST_IP = "10.213." + NET + ".1", PEER_IP = "10.213." + NET + ".2";

    private static boolean netns;

    private static int sh(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        int exit = p.waitFor();
        if (exit != 0) {
            System.err.println(String.join(" ", command) + " -> " + exit + ": " + new String(out, StandardCharsets.UTF_8));
        }
        return exit;
    }

    @BeforeAll
    static void makeThePeersNetwork() throws Exception {
        netns = sh("ip", "netns", "add", NS) == 0;
        if (!netns) {
            return;
        }
        boolean ok = sh("ip", "link", "add", HOST_LINK, "type", "veth", "peer", "name", PEER_LINK) == 0
                && sh("ip", "link", "set", PEER_LINK, "netns", NS) == 0
                && sh("ip", "addr", "add", HOST_IP + "/30", "dev", HOST_LINK) == 0
                && sh("ip", "link", "set", HOST_LINK, "up") == 0
                && sh("ip", "netns", "exec", NS, "ip", "addr", "add", PEER_IP + "/30", "dev", PEER_LINK) == 0
                && sh("ip", "netns", "exec", NS, "ip", "link", "set", PEER_LINK, "up") == 0;
        if (!ok) {
            removeThePeersNetwork();
            netns = false;
        }
    }

    @AfterAll
    static void removeThePeersNetwork() throws Exception {
        if (netns) {
            sh("ip", "link", "del", HOST_LINK); // takes its peer end along
            sh("ip", "netns", "del", NS);
        }
    }

    /**
     * A peer in the namespace that connects to {@code port} and holds the connection until killed:
     * a shell over TCP; over TLS, openssl's client with the test client's certificate.
     */
    private static Process peerHolding(String transport, int port, TestCertificates certificates) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", NS));
        if (transport.equals("tcp")) {
            command.addAll(List.of("bash", "-c", "exec 3<>/dev/tcp/" + HOST_IP + "/" + port + "; read nothing"));
        } else {
            command.addAll(List.of("openssl", "s_client", "-quiet", "-connect", HOST_IP + ":" + port,
                    "-cert", certificates.client().chain().toString(), "-key", certificates.client().key().toString(),
                    "-CAfile", certificates.ca().toString()));
        }
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Waits (at most 10 s) until no socket to the peer holds bytes the peer has not acknowledged. */
    private static void awaitNothingUnacknowledged() throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Process ss = new ProcessBuilder("ss", "-Htn", "dst", PEER_IP).redirectErrorStream(true).start();
            List<String> sockets = Loop.current().offload(() -> new String(ss.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8).lines().toList()).await();
            ss.waitFor();
            // State, Recv-Q, Send-Q, local, peer: Send-Q counts what the peer has not acknowledged.
            if (sockets.size() == 2 && sockets.stream().allMatch(l -> l.trim().split("\\s+")[2].equals("0"))) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("the connections to the peer did not go quiet within 10 s: " + sockets);
            }
            Loop.current().clock().sleep(Duration.ofMillis(10));
        }
    }

    /** Waits for the server to have the peer's channel; fails with what the peer said if it does not come. */
    private static Channel acceptedOrSay(Promise<Channel> accepted, Process peer) throws Exception {
        try {
            return accepted.await(Duration.ofSeconds(20));
        } catch (io.loomas.runtime.TimeoutException e) {
            peer.destroyForcibly();
            String said = new String(peer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            throw new AssertionError("the peer's connection did not arrive within 20 s; the peer said: " + said, e);
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"tcp", "tls"})
    @Timeout(60)
    void aPeerThatVanishesIsNoticedByKeepaliveAndOnlyWithIt(String transport, @TempDir Path dir) throws Exception {
        assumeTrue(netns, "needs root and iproute2 to make a network namespace (ip netns add)");
        TestCertificates certificates = transport.equals("tls") ? TestCertificates.create(dir) : null;
        ChannelOptions base = transport.equals("tls") ? ChannelOptions.DEFAULT.withTransport(Transport.tls(certificates.options()))
                : ChannelOptions.DEFAULT;
        TransportOptions.KeepAlive keepAlive = new TransportOptions.KeepAlive(Duration.ofSeconds(1), Duration.ofSeconds(1), 2);
        Loop.run(() -> {
            List<Promise<Channel>> accepted = List.of(new Promise<>(), new Promise<>());
            List<Server> servers = new ArrayList<>();
            List<Process> peers = new ArrayList<>();
            TransportOptions[] options = {
                TransportOptions.DEFAULT.withKeepAlive(keepAlive.idle(), keepAlive.interval(), keepAlive.probes()),
                TransportOptions.DEFAULT
            };
            try {
                for (int i = 0; i < 2; i++) {
                    Promise<Channel> seen = accepted.get(i);
                    Server s = Channels.startServer(Address.tcp(HOST_IP, 0), channel -> {
                        seen.complete(channel);
                        channel.closed().await();
                    }, base.withTransportOptions(options[i]));
                    servers.add(s);
                    peers.add(peerHolding(transport, ((Address.Tcp) s.address()).port(), certificates));
                }
                Channel withKeepAlive = acceptedOrSay(accepted.get(0), peers.get(0));
                Channel without = acceptedOrSay(accepted.get(1), peers.get(1));

                // Keepalive probes a quiet connection only: bytes still unacknowledged (TLS 1.3's session
                // tickets, written just after the handshake) are retransmitted instead, for minutes.
                awaitNothingUnacknowledged();
                long vanished = System.nanoTime();
                assertThat(Loop.current().offload(() -> sh("ip", "netns", "exec", NS, "ip", "link", "set", PEER_LINK, "down"))
                        .await()).isZero();
                // idle 1 s + 2 probes 1 s apart: about 3 s; the kernel's timers are coarse, so allow more.
                withKeepAlive.closed().await(Duration.ofSeconds(20));
                Duration noticed = Duration.ofNanos(System.nanoTime() - vanished);
                assertThat(noticed).isGreaterThanOrEqualTo(keepAlive.detectionTime().minusMillis(500));
                assertThat(withKeepAlive.closeCause()).hasMessageContaining("stopped answering")
                        .hasMessageContaining("2 keepalive probes went unanswered");
                assertThatThrownBy(() -> withKeepAlive.send("anyone?")).isInstanceOf(ConnectionClosedException.class)
                        .hasMessageContaining("stopped answering");
                // Without keepalive nothing tells this side that the peer is gone.
                assertThat(without.isOpen()).isTrue();
            } finally {
                for (Process peer : peers) {
                    peer.destroyForcibly();
                    peer.waitFor(10, TimeUnit.SECONDS);
                }
                for (Server s : servers) {
                    s.shutdownNow();
                }
                // The next case needs the peer's link up again.
                sh("ip", "netns", "exec", NS, "ip", "link", "set", PEER_LINK, "up");
            }
            return null;
        });
    }

    @Test
    void keepaliveTakesWholeSecondsAsTheKernelDoes() {
        assertThatThrownBy(() -> TransportOptions.DEFAULT.withKeepAlive(Duration.ofMillis(500), Duration.ofSeconds(1), 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole seconds, at least 1 s: PT0.5S");
        assertThatThrownBy(() -> TransportOptions.DEFAULT.withKeepAlive(Duration.ofSeconds(1), Duration.ofMillis(1500), 3))
                .hasMessageContaining("keepalive interval must be whole seconds");
        assertThatThrownBy(() -> TransportOptions.DEFAULT.withKeepAlive(Duration.ofSeconds(1), Duration.ofSeconds(1), 0))
                .hasMessageContaining("probes must be at least 1");
        assertThat(TransportOptions.DEFAULT.withKeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(10), 3)
                .keepAlive().detectionTime()).isEqualTo(Duration.ofMinutes(1));
        assertThat(TransportOptions.DEFAULT.withKeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(10), 3)
                .withoutKeepAlive().keepAlive()).isNull();
    }
}
