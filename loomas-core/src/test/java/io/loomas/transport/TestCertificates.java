package io.loomas.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;

/**
 * Certificates for TLS tests, made at test time with the running JDK's {@code keytool}, so no
 * private key is ever committed: a CA, a server certificate for {@code localhost}/{@code 127.0.0.1},
 * a client certificate, a server certificate for another host, and a second CA with a client of
 * its own. All keys are EC P-256 (fast to make) and are written as PKCS#8 PEM.
 *
 * <p>Making them takes about two seconds: create them once per test class.
 *
 * <pre>{@code
 * @TempDir static Path dir;
 * static TestCertificates certs;
 *
 * @BeforeAll
 * static void makeCertificates() throws Exception {
 *     certs = TestCertificates.create(dir);
 * }
 * }</pre>
 */
public final class TestCertificates {
    private static final String PASSWORD = "changeit";

    /** A certificate chain (PEM, own certificate first) and its private key (PKCS#8 PEM). */
    public record Identity(Path chain, Path key) {}

    private final Path ca;
    private final Identity server;
    private final Identity client;
    private final Identity wrongHostServer;
    private final Path otherCa;
    private final Identity otherClient;
    private final Identity adminClient;

    private TestCertificates(Path ca, Identity server, Identity client, Identity wrongHostServer, Path otherCa,
            Identity otherClient, Identity adminClient) {
        this.adminClient = adminClient;
        this.ca = ca;
        this.server = server;
        this.client = client;
        this.wrongHostServer = wrongHostServer;
        this.otherCa = otherCa;
        this.otherClient = otherClient;
    }

    /** Makes every certificate and key into {@code dir}. */
    public static TestCertificates create(Path dir) throws IOException, InterruptedException {
        Path main = dir.resolve("main.p12");
        Path other = dir.resolve("other.p12");
        // The two key stores are independent: make them side by side.
        CompletableFuture<Void> otherDone = CompletableFuture.runAsync(() -> {
            try {
                keytool("-genkeypair", "-alias", "ca", "-dname", "CN=loomas other test CA", "-ext", "bc:c",
                        "-keystore", other.toString());
                keytool("-genkeypair", "-alias", "client", "-dname", "CN=loomas other client", "-signer", "ca",
                        "-keystore", other.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        keytool("-genkeypair", "-alias", "ca", "-dname", "CN=loomas test CA", "-ext", "bc:c",
                "-keystore", main.toString());
        keytool("-genkeypair", "-alias", "server", "-dname", "CN=localhost", "-signer", "ca",
                "-ext", "san=dns:localhost,ip:127.0.0.1", "-keystore", main.toString());
        keytool("-genkeypair", "-alias", "client", "-dname", "CN=loomas client", "-signer", "ca",
                "-keystore", main.toString());
        keytool("-genkeypair", "-alias", "wronghost", "-dname", "CN=example.org", "-signer", "ca",
                "-ext", "san=dns:example.org", "-keystore", main.toString());
        keytool("-genkeypair", "-alias", "admin", "-dname", "CN=loomas admin, OU=admin", "-signer", "ca",
                "-ext", "san=uri:urn:loomas:role:admin", "-keystore", main.toString());
        otherDone.join();
        try {
            KeyStore mainStore = load(main);
            KeyStore otherStore = load(other);
            return new TestCertificates(
                    writeCertificates(dir.resolve("ca.pem"), mainStore.getCertificate("ca")),
                    identity(dir, "", mainStore, "server"),
                    identity(dir, "", mainStore, "client"),
                    identity(dir, "", mainStore, "wronghost"),
                    writeCertificates(dir.resolve("other-ca.pem"), otherStore.getCertificate("ca")),
                    identity(dir, "other-", otherStore, "client"),
                    identity(dir, "", mainStore, "admin"));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the key stores keytool made in " + dir, e);
        }
    }

    /** {@return the CA certificate that issued the server, client and wrong-host certificates} */
    public Path ca() {
        return ca;
    }

    /** {@return a server certificate for {@code localhost} and {@code 127.0.0.1}} */
    public Identity server() {
        return server;
    }

    /** {@return a client certificate issued by {@link #ca()}} */
    public Identity client() {
        return client;
    }

    /** {@return a server certificate issued by {@link #ca()} for {@code example.org} only} */
    public Identity wrongHostServer() {
        return wrongHostServer;
    }

    /** {@return a second CA, unrelated to {@link #ca()}} */
    public Path otherCa() {
        return otherCa;
    }

    /** {@return a client certificate issued by {@link #otherCa()}} */
    public Identity otherClient() {
        return otherClient;
    }

    /** {@return a client certificate issued by {@link #ca()} that names the role admin (OU=admin, SAN urn:loomas:role:admin)} */
    public Identity adminClient() {
        return adminClient;
    }

    /** {@return the context of the server: {@link #server()}, trusting {@link #ca()}} */
    public SSLContext serverContext() throws IOException {
        return Tls.serverContext(ca, server.chain(), server.key());
    }

    /** {@return the context of the client: {@link #client()}, trusting {@link #ca()}} */
    public SSLContext clientContext() throws IOException {
        return Tls.clientContext(ca, client.chain(), client.key());
    }

    /** {@return mutual TLS options: {@link #serverContext()} and {@link #clientContext()}} */
    public TlsOptions options() throws IOException {
        return TlsOptions.of(serverContext(), clientContext());
    }

    private static Identity identity(Path dir, String prefix, KeyStore store, String alias)
            throws IOException, GeneralSecurityException {
        Path chain = writeCertificates(dir.resolve(prefix + alias + "-chain.pem"), store.getCertificateChain(alias));
        Key key = store.getKey(alias, PASSWORD.toCharArray());
        Path keyFile = dir.resolve(prefix + alias + "-key.pem");
        Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
        return new Identity(chain, keyFile);
    }

    private static Path writeCertificates(Path file, Certificate... certificates)
            throws IOException, GeneralSecurityException {
        StringBuilder text = new StringBuilder();
        for (Certificate c : certificates) {
            text.append(pem("CERTIFICATE", c.getEncoded()));
        }
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        return file;
    }

    /** {@return one PEM block: Base64 in 64-character lines between the BEGIN and END lines} */
    static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(keytoolPath().toString());
        command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC")); // a short run: start fast
        command.addAll(List.of(args));
        command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("keytool failed: " + String.join(" ", command) + "\n" + output);
        }
    }

    /** {@return the keytool of the JDK running the tests} */
    private static Path keytoolPath() throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IOException("cannot tell which java runs the tests, so cannot find keytool"));
        Path keytool = Path.of(java).resolveSibling("keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IOException("keytool not found beside the running java: " + keytool
                    + " (expected: a full JDK, not a JRE)");
        }
        return keytool;
    }
}
