package io.loomas.testing;

import io.loomas.channel.ChannelOptions;
import io.loomas.codec.Codec;
import io.loomas.transport.Address;
import io.loomas.transport.TestCertificates;
import io.loomas.transport.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Every transport (tcp, unix, local, tls) times every codec: the matrix each channel, RPC and agent test runs on. */
public record TransportCase(String transport, Codec codec) {
    private static final AtomicInteger LOCAL_IDS = new AtomicInteger();

    public static Stream<TransportCase> all() {
        List<TransportCase> cases = new ArrayList<>();
        for (String t : List.of("tcp", "unix", "local", "tls")) {
            for (Codec c : List.of(Codec.json(), Codec.msgpack())) {
                cases.add(new TransportCase(t, c));
            }
        }
        return cases.stream();
    }

    /** {@return the transports a raw (unencrypted) client can talk to: tcp, unix, local} */
    public static Stream<String> transports() {
        return Stream.of("tcp", "unix", "local");
    }

    /** {@return a fresh address to listen on: port 0, a short socket path, or a unique queue name} */
    public static Address freshAddress(String transport) {
        return switch (transport) {
            case "tcp", "tls" -> Address.tcp("127.0.0.1", 0);
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

    /** {@return channel options for this case: its codec, and mutual TLS for "tls"} */
    public ChannelOptions options() {
        ChannelOptions options = ChannelOptions.DEFAULT.withCodec(codec);
        return transport.equals("tls") ? options.withTransport(Tls.TRANSPORT) : options;
    }

    /** {@return mutual TLS with this JVM's test certificates, made on first use} */
    public static Transport tlsTransport() {
        return Tls.TRANSPORT;
    }

    /** Mutual TLS with certificates made once per test JVM (a few keytool runs). */
    private static final class Tls {
        static final Transport TRANSPORT = create();

        private static Transport create() {
            try {
                Path dir = Files.createTempDirectory("loomas-certs");
                dir.toFile().deleteOnExit();
                return Transport.tls(TestCertificates.create(dir).options());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public String toString() {
        return transport + "/" + codec.name();
    }
}
