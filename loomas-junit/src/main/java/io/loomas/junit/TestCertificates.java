package io.loomas.junit;

import io.loomas.transport.Tls;
import io.loomas.transport.TlsOptions;
import io.loomas.transport.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test CA with a server certificate for {@code 127.0.0.1}/{@code localhost} and a client
 * certificate, made with the running JDK's {@code keytool} (EC P-256, valid two days) so that no
 * private key is ever committed and no dependency is needed. Made once per test run, in the root
 * store, whose closing removes the files.
 */
final class TestCertificates implements ExtensionContext.Store.CloseableResource {
    private static final String PASSWORD = "changeit";

    private final Path dir;
    private final Transport transport;

    private TestCertificates(Path dir, Transport transport) {
        this.dir = dir;
        this.transport = transport;
    }

    /** {@return mutual TLS with the test certificates} */
    Transport transport() {
        return transport;
    }

    static TestCertificates create() {
        try {
            Path dir = Files.createTempDirectory("loomas-junit-certs");
            Path store = dir.resolve("test.p12");
            keytool("-genkeypair", "-alias", "ca", "-dname", "CN=loomas-junit test CA", "-ext", "bc:c", "-keystore", store.toString());
            keytool("-genkeypair", "-alias", "server", "-dname", "CN=localhost", "-signer", "ca",
                    "-ext", "san=dns:localhost,ip:127.0.0.1", "-keystore", store.toString());
            keytool("-genkeypair", "-alias", "client", "-dname", "CN=loomas-junit client", "-signer", "ca",
                    "-keystore", store.toString());
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, PASSWORD.toCharArray());
            }
            Path ca = write(dir.resolve("ca.pem"), pem(keys.getCertificate("ca")));
            TlsOptions options = TlsOptions.of(
                    Tls.serverContext(ca, chain(dir, keys, "server"), key(dir, keys, "server")),
                    Tls.clientContext(ca, chain(dir, keys, "client"), key(dir, keys, "client")));
            return new TestCertificates(dir, Transport.tls(options));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the test certificates for TransportKind.TLS", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the key store keytool made for TransportKind.TLS", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the test certificates", e);
        }
    }

    private static Path chain(Path dir, KeyStore keys, String alias) throws IOException, GeneralSecurityException {
        StringBuilder text = new StringBuilder();
        for (Certificate c : keys.getCertificateChain(alias)) {
            text.append(pem(c));
        }
        return write(dir.resolve(alias + "-chain.pem"), text.toString());
    }

    private static Path key(Path dir, KeyStore keys, String alias) throws IOException, GeneralSecurityException {
        byte[] pkcs8 = keys.getKey(alias, PASSWORD.toCharArray()).getEncoded();
        return write(dir.resolve(alias + "-key.pem"), pem("PRIVATE KEY", pkcs8));
    }

    private static String pem(Certificate c) throws GeneralSecurityException {
        return pem("CERTIFICATE", c.getEncoded());
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static Path write(Path file, String text) throws IOException {
        return Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IOException("cannot tell which java runs the tests, so cannot find keytool"));
        Path keytool = Path.of(java).resolveSibling("keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IOException("keytool not found beside the running java: " + keytool
                    + " (expected: a full JDK); leave TransportKind.TLS out of @TransportTest(transports = ...) on a JRE");
        }
        List<String> command = new ArrayList<>(List.of(keytool.toString(), "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        command.addAll(List.of(args));
        command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("keytool failed: " + String.join(" ", command) + "\n" + output);
        }
    }

    /** Removes the key material when the test run ends. */
    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
