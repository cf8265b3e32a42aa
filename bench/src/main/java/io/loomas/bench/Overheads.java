package io.loomas.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.UnixOperatingSystemMXBean;
import io.loomas.agent.Agent;
import io.loomas.agent.Container;
import io.loomas.agent.ContainerOptions;
import io.loomas.rpc.Expose;
import io.loomas.rpc.Remote;
import io.loomas.rpc.Rpc;
import io.loomas.rpc.RpcConnection;
import io.loomas.rpc.RpcOptions;
import io.loomas.runtime.Loop;
import io.loomas.transport.Address;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a test suite pays: a container's whole life for one call, an idle agent's memory, an open
 * connection's memory and threads. {@link #main} runs the memory figures in a JVM of their own so
 * nothing else is on the heap.
 */
public final class Overheads {
    private static final AtomicInteger LOCAL_NAMES = new AtomicInteger();

    private Overheads() {}

    /** An agent that answers one call. */
    public static final class PingAgent extends Agent {
        PingAgent(Container container) {
            super(container);
        }

        @Expose
        public String ping() {
            return "pong";
        }
    }

    /** An agent with nothing of its own: what an idle agent costs is the container's bookkeeping. */
    public static final class IdleAgent extends Agent {
        IdleAgent(Container container) {
            super(container);
        }
    }

    static Address fresh(String transport) {
        return switch (transport) {
            case "tcp" -> Address.tcp("127.0.0.1", 0);
            case "local" -> Address.local("bench-" + LOCAL_NAMES.incrementAndGet());
            default -> throw new IllegalArgumentException("unknown transport: " + transport + " (expected: tcp or local)");
        };
    }

    /** The phases of a lifecycle, in order, as {@link #lifecycle} times them; row 6 of its answer is the whole. */
    static final List<String> PHASES = List.of("loop start", "two containers and an agent", "connect (TCP + validate_aid)",
            "first call", "server container shutdown", "client container shutdown");

    /**
     * One test's worth of setup and teardown on a fresh loop: two containers, an agent in the
     * second, the first connects to it and calls it once, both shut down. Writes the wall time
     * before it and after each of its six phases into {@code at}.
     */
    private static void lifecycleOnce(String transport, long[] at) {
        at[0] = System.nanoTime();
        String reply = Loop.run(() -> {
            at[1] = System.nanoTime();
            try (Container client = Container.create(fresh(transport), ContainerOptions.DEFAULT);
                    Container server = Container.create(fresh(transport), ContainerOptions.DEFAULT)) {
                PingAgent agent = new PingAgent(server);
                at[2] = System.nanoTime();
                Remote remote = client.connect(agent.address());
                at[3] = System.nanoTime();
                Object pong = remote.call("ping");
                at[4] = System.nanoTime();
                server.close(); // in the order try-with-resources closes them; closing again is a no-op
                at[5] = System.nanoTime();
                client.close();
                at[6] = System.nanoTime();
                return (String) pong;
            }
        });
        if (!"pong".equals(reply)) {
            throw new IllegalStateException("ping returned " + reply);
        }
    }

    /**
     * {@return per phase of {@code iterations} lifecycles, after {@code warmup} unmeasured ones,
     * the nanoseconds of each run (unsorted, in run order): rows 0 to 5 the {@link #PHASES}, row 6
     * the whole}
     */
    static long[][] lifecycle(String transport, int warmup, int iterations) {
        long[] at = new long[PHASES.size() + 1];
        for (int i = 0; i < warmup; i++) {
            lifecycleOnce(transport, at);
        }
        long[][] t = new long[PHASES.size() + 1][iterations];
        for (int i = 0; i < iterations; i++) {
            lifecycleOnce(transport, at);
            for (int p = 0; p < PHASES.size(); p++) {
                t[p][i] = at[p + 1] - at[p];
            }
            t[PHASES.size()][i] = at[PHASES.size()] - at[0];
        }
        return t;
    }

    /**
     * {@return the nanoseconds (sorted) of each of {@code iterations} bare JDK TCP connects to a
     * listening socket of this JVM, after {@code warmup} unmeasured ones: the floor under a
     * lifecycle's connect phase}
     */
    static long[] rawConnects(int warmup, int iterations) throws IOException {
        for (int i = 0; i < warmup; i++) {
            rawConnect();
        }
        long[] t = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            t[i] = rawConnect();
        }
        Arrays.sort(t);
        return t;
    }

    private static long rawConnect() throws IOException {
        try (java.nio.channels.ServerSocketChannel listening = java.nio.channels.ServerSocketChannel.open()
                .bind(new java.net.InetSocketAddress("127.0.0.1", 0))) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    listening.accept().close();
                } catch (IOException e) {
                    // the connect below fails too, and says why
                }
            });
            long t0 = System.nanoTime();
            try (java.nio.channels.SocketChannel c = java.nio.channels.SocketChannel.open()) {
                c.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                c.connect(listening.getLocalAddress());
                long elapsed = System.nanoTime() - t0;
                acceptor.join();
                return elapsed;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    static long heapUsedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    static int platformThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /** Counts every thread, virtual ones too, from a JSON thread dump (public API since JDK 21). */
    static int allThreads() throws IOException {
        Path file = Files.createTempFile("loomas-bench-threads", ".json");
        Files.delete(file);
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            String json = Files.readString(file);
            int count = 0;
            for (int i = json.indexOf("\"tid\""); i >= 0; i = json.indexOf("\"tid\"", i + 1)) {
                count++;
            }
            return count;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** {@return how many sockets this process may still open, or -1 if unknown} */
    static long fileDescriptorsLeft() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount();
        }
        return -1;
    }

    /** Prints {@code heapBefore heapAfter seconds} for {@code n} idle agents in one container. */
    static String agents(int n) {
        return Loop.run(() -> {
            try (Container container = Container.create(fresh("local"), ContainerOptions.DEFAULT)) {
                List<Agent> keep = new ArrayList<>(n);
                IdleAgent warm = new IdleAgent(container);
                long before = heapUsedAfterGc();
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    keep.add(new IdleAgent(container));
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                // The list holding them is the benchmark's, not the container's: subtract it.
                long listBytes = 16L + 4L * n;
                long after = heapUsedAfterGc() - listBytes;
                if (container.agents().size() != n + 1 || warm.id() == null) {
                    throw new IllegalStateException("container holds " + container.agents().size() + " agents");
                }
                return before + " " + after + " " + seconds;
            }
        });
    }

    /**
     * Prints {@code n heapBefore heapAfter platformBefore platformAfter allBefore allAfter seconds}
     * for {@code n} RPC clients connected to one container, each having made one call.
     */
    static String connections(int n, String transport) {
        return Loop.run(() -> {
            try (Container container = Container.create(fresh(transport), ContainerOptions.DEFAULT)) {
                PingAgent agent = new PingAgent(container);
                long heapBefore = heapUsedAfterGc();
                int platformBefore = platformThreads();
                int allBefore = allThreads();
                long t0 = System.nanoTime();
                List<RpcConnection> clients = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    RpcConnection client = Rpc.connect(container.address(), RpcOptions.DEFAULT);
                    clients.add(client);
                    // One call each, so the container has accepted and served every connection.
                    client.remote().call("validate_aid", agent.id());
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                long heapAfter = heapUsedAfterGc();
                int platformAfter = platformThreads();
                int allAfter = allThreads();
                for (RpcConnection c : clients) {
                    c.close();
                }
                return n + " " + heapBefore + " " + heapAfter + " " + platformBefore + " " + platformAfter
                        + " " + allBefore + " " + allAfter + " " + seconds;
            }
        });
    }

    /** {@code agents N} or {@code connections N tcp|local}; prints one result line. */
    public static void main(String[] args) {
        String result = switch (args[0]) {
            case "agents" -> agents(Integer.parseInt(args[1]));
            case "connections" -> {
                int n = Integer.parseInt(args[1]);
                if (args[2].equals("tcp")) {
                    // Both ends live in this process: two descriptors per connection.
                    long left = fileDescriptorsLeft();
                    if (left > 0) {
                        n = (int) Math.min(n, (left - 200) / 2);
                    }
                }
                yield connections(n, args[2]);
            }
            default -> throw new IllegalArgumentException("unknown overhead: " + args[0]
                    + " (expected: agents or connections)");
        };
        System.out.println("RESULT " + result);
        System.out.flush();
        System.exit(0);
    }
}
