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
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TCP keepalive against a peer that vanishes for real: a shell in its own network namespace holds
 * connections to a loomas server, then its network link goes down, so it sends no reset and no
 * end, and answers nothing. Needs root and iproute2 ({@code ip netns}); skipped without them.
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

    /** A shell in the namespace that connects to each port and holds the connections until killed. */
    private static Process peerHolding(List<Integer> ports) throws IOException {
        StringBuilder script = new StringBuilder();
        int fd = 3;
        for (int port : ports) {
            script.append("exec ").append(fd++).append("<>/dev/tcp/").append(HOST_IP).append('/').append(port).append("; ");
        }
        script.append("echo connected; read nothing");
        return new ProcessBuilder("ip", "netns", "exec", NS, "bash", "-c", script.toString()).start();
    }

    @Test
    @Timeout(60)
    void aPeerThatVanishesIsNoticedByKeepaliveAndOnlyWithIt() throws Exception {
        assumeTrue(netns, "needs root and iproute2 to make a network namespace (ip netns add)");
        TransportOptions.KeepAlive keepAlive = new TransportOptions.KeepAlive(Duration.ofSeconds(1), Duration.ofSeconds(1), 2);
        Loop.run(() -> {
            List<Promise<Channel>> accepted = List.of(new Promise<>(), new Promise<>());
            List<Server> servers = new ArrayList<>();
            TransportOptions[] options = {
                TransportOptions.DEFAULT.withKeepAlive(keepAlive.idle(), keepAlive.interval(), keepAlive.probes()),
                TransportOptions.DEFAULT
            };
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Promise<Channel> seen = accepted.get(i);
                Server s = Channels.startServer(Address.tcp(HOST_IP, 0), channel -> {
                    seen.complete(channel);
                    channel.closed().await();
                }, ChannelOptions.DEFAULT.withTransportOptions(options[i]));
                servers.add(s);
                ports.add(((Address.Tcp) s.address()).port());
            }
            Process peer = peerHolding(ports);
            try {
                String line = Loop.current().offload(
                        () -> new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8)).readLine())
                        .await();
                assertThat(line).isEqualTo("connected");
                Channel withKeepAlive = accepted.get(0).await(Duration.ofSeconds(10));
                Channel without = accepted.get(1).await(Duration.ofSeconds(10));

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
                peer.destroyForcibly();
                peer.waitFor(10, TimeUnit.SECONDS);
                for (Server s : servers) {
                    s.shutdownNow();
                }
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
