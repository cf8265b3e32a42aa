package io.loomas.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Building TLS contexts from PEM files: what loads, and errors that name the file and the fix. */
class TlsPemTest {
    @TempDir
    static Path dir;

    static TestCertificates certs;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCertificates.create(dir);
    }

    @Test
    void serverAndClientContextsLoadFromPemFiles() throws IOException {
        assertThat(Tls.serverContext(certs.ca(), certs.server().chain(), certs.server().key()).getProtocol())
                .isEqualTo("TLS");
        assertThat(Tls.clientContext(certs.ca(), certs.client().chain(), certs.client().key())).isNotNull();
        assertThat(Tls.clientContext(certs.ca())).isNotNull();
    }

    @Test
    void aChainFileHoldsTheOwnCertificateFirstThenTheCa() throws IOException {
        assertThat(Tls.readCertificates(certs.server().chain(), "chain"))
                .extracting(c -> c.getSubjectX500Principal().getName())
                .containsExactly("CN=localhost", "CN=loomas test CA");
    }

    @Test
    void rsaKeysLoadToo() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        PrivateKey key = rsa.generateKeyPair().getPrivate();
        Path file = write("rsa-key.pem", TestCertificates.pem("PRIVATE KEY", key.getEncoded()));
        assertThat(Tls.readPrivateKey(file).getAlgorithm()).isEqualTo("RSA");
        assertThat(Tls.readPrivateKey(certs.server().key()).getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.pem");
        assertThatThrownBy(() -> Tls.serverContext(missing, certs.server().chain(), certs.server().key()))
                .isInstanceOf(IOException.class)
                .hasMessage("CA certificate file not found: " + missing
                        + " (expected: a PEM file with -----BEGIN CERTIFICATE----- blocks)");
        assertThatThrownBy(() -> Tls.clientContext(certs.ca(), certs.client().chain(), missing))
                .hasMessage("private key file not found: " + missing
                        + " (expected: an unencrypted PKCS#8 PEM file, -----BEGIN PRIVATE KEY-----)");
    }

    @Test
    void aFileWithoutPemBlockIsNamed() throws IOException {
        Path empty = write("empty.pem", "just some text\n");
        assertThatThrownBy(() -> Tls.serverContext(certs.ca(), empty, certs.server().key()))
                .isInstanceOf(IOException.class)
                .hasMessage("certificate chain file has no certificate PEM block: " + empty
                        + " (expected: -----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)");
        assertThatThrownBy(() -> Tls.serverContext(certs.ca(), certs.server().chain(), empty))
                .hasMessage("private key file has no private key PEM block: " + empty
                        + " (expected: -----BEGIN PRIVATE KEY----- ... -----END PRIVATE KEY-----)");
    }

    @Test
    void aPkcs1KeyIsRejectedWithTheCommandThatConvertsIt() throws IOException {
        Path pkcs1 = write("rsa-pkcs1.pem", TestCertificates.pem("RSA PRIVATE KEY", new byte[] {0x30, 0x00}));
        assertThatThrownBy(() -> Tls.serverContext(certs.ca(), certs.server().chain(), pkcs1))
                .isInstanceOf(IOException.class)
                .hasMessage("private key file has an unsupported key format: " + pkcs1
                        + " (expected: unencrypted PKCS#8, -----BEGIN PRIVATE KEY-----, found -----BEGIN RSA PRIVATE"
                        + " KEY-----); convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY.pem -out KEY-pkcs8.pem");
    }

    @Test
    void aKeyOfAnotherCertificateIsRejected() {
        assertThatThrownBy(() -> Tls.serverContext(certs.ca(), certs.server().chain(), certs.client().key()))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("private key does not match the certificate: " + certs.client().key())
                .hasMessageContaining("CN=localhost");
    }

    @Test
    void aCertificateThatIsNotDerIsNamed() throws IOException {
        Path bad = write("bad-cert.pem", TestCertificates.pem("CERTIFICATE", new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> Tls.clientContext(bad))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("CA certificate file holds a malformed certificate: " + bad);
    }

    private static Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
