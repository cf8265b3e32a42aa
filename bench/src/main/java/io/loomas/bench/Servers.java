package io.loomas.bench;

import io.loomas.codec.Codec;
import io.loomas.transport.Address;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every server the throughput tables call, by key ({@code raw-tcp}, {@code grpc-tcp},
 * {@code json-tcp}, {@code msgpack-tcp}, {@code raw-unix}, {@code json-unix},
 * {@code msgpack-unix}). {@link #main} runs them in a JVM of their own, so that client and server
 * do not share a heap and JIT, as the peers' figures in DESIGN.md were measured.
 */
public final class Servers implements AutoCloseable {
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private final List<AutoCloseable> running = new ArrayList<>();

    /** Starts them all; Unix sockets go into {@code unixDir} (short paths: at most ~106 bytes). */
    static Servers start(Path unixDir) throws IOException {
        Servers s = new Servers();
        RawEcho.Server rawTcp = s.add(RawEcho.Server.tcp());
        s.addresses.put("raw-tcp", rawTcp.address());
        GrpcEcho.Server grpc = s.add(new GrpcEcho.Server());
        s.addresses.put("grpc-tcp", grpc.address());
        for (Codec codec : List.of(Codec.json(), Codec.msgpack())) {
            LoomasRpc.Server tcp = s.add(new LoomasRpc.Server(Address.tcp("127.0.0.1", 0), codec));
            s.addresses.put(codec.name() + "-tcp", tcp.address().toString());
            LoomasRpc.Server unix = s.add(new LoomasRpc.Server(
                    Address.unix(unixDir.resolve(codec.name() + ".sock")), codec));
            s.addresses.put(codec.name() + "-unix", unix.address().toString());
        }
        RawEcho.Server rawUnix = s.add(RawEcho.Server.unix(unixDir.resolve("raw.sock")));
        s.addresses.put("raw-unix", rawUnix.address());
        return s;
    }

    private <T extends AutoCloseable> T add(T server) {
        running.add(server);
        return server;
    }

    Map<String, String> addresses() {
        return addresses;
    }

    @Override
    public void close() {
        for (AutoCloseable c : running.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("closing " + c + ": " + e);
            }
        }
    }

    /**
     * Runs the servers until standard input ends; prints one {@code key address} line per server,
     * then {@code READY}.
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp");
        BenchMetrics.bindIfAsked(); // for the life of this JVM
        try (Servers servers = start(dir)) {
            servers.addresses.forEach((k, v) -> System.out.println(k + " " + v));
            System.out.println("READY");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // wait for the parent to go away
            }
        }
        System.exit(0);
    }
}
