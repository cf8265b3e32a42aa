package io.loomas.testing;

import io.loomas.channel.ChannelOptions;
import io.loomas.codec.Codec;
import io.loomas.transport.Address;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Every transport times every codec: the matrix each channel, RPC and agent test runs on. */
public record TransportCase(String transport, Codec codec) {
    private static final AtomicInteger LOCAL_IDS = new AtomicInteger();

    public static Stream<TransportCase> all() {
        List<TransportCase> cases = new ArrayList<>();
        for (String t : List.of("tcp", "unix", "local")) {
            for (Codec c : List.of(Codec.json(), Codec.msgpack())) {
                cases.add(new TransportCase(t, c));
            }
        }
        return cases.stream();
    }

    public static Stream<String> transports() {
        return Stream.of("tcp", "unix", "local");
    }

    /** {@return a fresh address to listen on: port 0, a short socket path, or a unique queue name} */
    public static Address freshAddress(String transport) {
        return switch (transport) {
            case "tcp" -> Address.tcp("127.0.0.1", 0);
            case "unix" -> {
                try {
                    // Short: socket paths are limited to about 106 bytes.
                    Path dir = Files.createTempDirectory(Path.of("/tmp"), "lm");
                    dir.toFile().deleteOnExit();
                    Path sock = dir.resolve("s");
                    sock.toFile().deleteOnExit();
                    yield Address.unix(sock);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            case "local" -> Address.local("test-" + LOCAL_IDS.incrementAndGet());
            default -> throw new IllegalArgumentException("unknown transport: " + transport);
        };
    }

    public Address freshAddress() {
        return freshAddress(transport);
    }

    public ChannelOptions options() {
        return ChannelOptions.DEFAULT.withCodec(codec);
    }

    @Override
    public String toString() {
        return transport + "/" + codec.name();
    }
}
