package io.loomas.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builders of TLS contexts from PEM files, the form {@code openssl} and most certificate tools
 * write, for {@link Transport#tls(TlsOptions)}.
 *
 * <p>Each context trusts the certificates of one CA file and presents one certificate chain with
 * its private key. Certificates are X.509 in PEM ({@code -----BEGIN CERTIFICATE-----}); private
 * keys are unencrypted PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}) holding an RSA, EC or EdDSA
 * key. An older PKCS#1 or SEC1 key ({@code -----BEGIN RSA PRIVATE KEY-----},
 * {@code -----BEGIN EC PRIVATE KEY-----}) or an encrypted one converts with
 * {@code openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem}.
 *
 * <p>Thread-safe; the contexts returned are thread-safe too.
 */
public final class Tls {
    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final char[] STORE_PASSWORD = "loomas".toCharArray();
    private static final String CONVERT_KEY = "convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY.pem -out "
            + "KEY-pkcs8.pem";

    private Tls() {}

    /**
     * Builds the context of a server: it presents the certificate chain in {@code certChainPem}
     * (the server's certificate first, then any intermediates) with the key in
     * {@code privateKeyPem}, and trusts client certificates issued by the CA in {@code caCertPem}.
     *
     * @param caCertPem one or more trusted CA certificates, PEM
     * @param certChainPem this side's certificate chain, PEM, its own certificate first
     * @param privateKeyPem this side's private key, unencrypted PKCS#8 PEM
     * @return a new context; never {@code null}
     * @throws IOException naming the file if one is missing or unreadable, holds no PEM block, holds
     *     a key in an unsupported format or a malformed certificate, or if the key does not belong
     *     to the first certificate of the chain
     */
    public static SSLContext serverContext(Path caCertPem, Path certChainPem, Path privateKeyPem) throws IOException {
        return context(caCertPem, certChainPem, privateKeyPem);
    }

    /**
     * Builds the context of a client for mutual TLS: it presents the certificate chain in
     * {@code certChainPem} with the key in {@code privateKeyPem} when the server asks, and trusts
     * server certificates issued by the CA in {@code caCertPem}. Same shape and rules as
     * {@link #serverContext}.
     *
     * @return a new context; never {@code null}
     * @throws IOException as {@link #serverContext} describes
     */
    public static SSLContext clientContext(Path caCertPem, Path certChainPem, Path privateKeyPem) throws IOException {
        return context(caCertPem, certChainPem, privateKeyPem);
    }

    /**
     * Builds the context of a client that presents no certificate and trusts server certificates
     * issued by the CA in {@code caCertPem}; for servers with {@link TlsOptions.ClientAuth#NONE}
     * or {@link TlsOptions.ClientAuth#REQUESTED}.
     *
     * @return a new context; never {@code null}
     * @throws IOException naming the file if it is missing or unreadable, holds no PEM block or a
     *     malformed certificate
     */
    public static SSLContext clientContext(Path caCertPem) throws IOException {
        return context(caCertPem, null, null);
    }

    private static SSLContext context(Path caCertPem, Path certChainPem, Path privateKeyPem) throws IOException {
        Objects.requireNonNull(caCertPem, "caCertPem");
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            List<X509Certificate> cas = readCertificates(caCertPem, "CA certificate file");
            for (int i = 0; i < cas.size(); i++) {
                trust.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);

            KeyManagerFactory kmf = null;
            if (certChainPem != null) {
                Objects.requireNonNull(privateKeyPem, "privateKeyPem");
                List<X509Certificate> chain = readCertificates(certChainPem, "certificate chain file");
                PrivateKey key = readPrivateKey(privateKeyPem);
                checkKeyMatches(key, chain.get(0), privateKeyPem, certChainPem);
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("key", key, STORE_PASSWORD, chain.toArray(Certificate[]::new));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, STORE_PASSWORD);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf != null ? kmf.getKeyManagers() : null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build a TLS context from " + caCertPem
                    + (certChainPem != null ? ", " + certChainPem + " and " + privateKeyPem : "") + ": " + e, e);
        }
    }

    /** Reads every {@code CERTIFICATE} block of a PEM file. */
    static List<X509Certificate> readCertificates(Path file, String what) throws IOException {
        String text = read(file, what, "a PEM file with -----BEGIN CERTIFICATE----- blocks");
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
        List<X509Certificate> certificates = new ArrayList<>();
        Matcher m = PEM_BLOCK.matcher(text);
        while (m.find()) {
            if (!m.group(1).equals("CERTIFICATE")) {
                continue;
            }
            byte[] der = decodeBase64(m.group(2), file, what);
            try {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            } catch (CertificateException e) {
                throw new IOException(what + " holds a malformed certificate: " + file + " (expected: X.509 DER in "
                        + "PEM); " + e.getMessage(), e);
            }
        }
        if (certificates.isEmpty()) {
            throw new IOException(what + " has no certificate PEM block: " + file
                    + " (expected: -----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)");
        }
        return certificates;
    }

    /** Reads the one {@code PRIVATE KEY} block of a PEM file: PKCS#8, RSA, EC or EdDSA. */
    static PrivateKey readPrivateKey(Path file) throws IOException {
        String what = "private key file";
        String text = read(file, what, "an unencrypted PKCS#8 PEM file, -----BEGIN PRIVATE KEY-----");
        Matcher m = PEM_BLOCK.matcher(text);
        String found = null;
        while (m.find()) {
            String type = m.group(1);
            if (type.equals("PRIVATE KEY")) {
                return decodeKey(decodeBase64(m.group(2), file, what), file);
            }
            if (type.endsWith("PRIVATE KEY") && found == null) {
                found = type;
            }
        }
        if (found != null) {
            throw new IOException(what + " has an unsupported key format: " + file + " (expected: unencrypted PKCS#8,"
                    + " -----BEGIN PRIVATE KEY-----, found -----BEGIN " + found + "-----); " + CONVERT_KEY);
        }
        throw new IOException(what + " has no private key PEM block: " + file
                + " (expected: -----BEGIN PRIVATE KEY----- ... -----END PRIVATE KEY-----)");
    }

    private static PrivateKey decodeKey(byte[] der, Path file) throws IOException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // not this algorithm: try the next
            }
        }
        throw new IOException("private key file holds a key of no supported algorithm: " + file
                + " (expected: an RSA, EC or EdDSA key in PKCS#8)");
    }

    /** Signs and verifies a probe, so a key that belongs to another certificate fails here, not in every handshake. */
    private static void checkKeyMatches(PrivateKey key, X509Certificate certificate, Path keyFile, Path chainFile)
            throws IOException, GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null; // no probe for other algorithms: the handshake will tell
        };
        if (algorithm == null) {
            return;
        }
        byte[] probe = "loomas key check".getBytes(StandardCharsets.US_ASCII);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (java.security.InvalidKeyException | java.security.SignatureException e) {
            matches = false;
        }
        if (!matches) {
            throw new IOException("private key does not match the certificate: " + keyFile + " (expected: the key of "
                    + "the first certificate in " + chainFile + ", " + certificate.getSubjectX500Principal() + ")");
        }
    }

    private static String read(Path file, String what, String expected) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IOException(what + " not found: " + file + " (expected: " + expected + ")", e);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(what + " is not a PEM text file: " + file + " (expected: " + expected
                    + "); convert a binary DER file with openssl x509 -inform der (certificates) or "
                    + "openssl pkcs8 -topk8 -nocrypt -inform der (keys)", e);
        } catch (IOException e) {
            throw new IOException(what + " cannot be read: " + file + " (" + e.getMessage() + ")", e);
        }
    }

    private static byte[] decodeBase64(String body, Path file, String what) throws IOException {
        try {
            return Base64.getMimeDecoder().decode(body.strip());
        } catch (IllegalArgumentException e) {
            throw new IOException(what + " holds a PEM block that is not Base64: " + file + " (" + e.getMessage() + ")",
                    e);
        }
    }
}
