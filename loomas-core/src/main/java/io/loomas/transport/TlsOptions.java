package io.loomas.transport;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * The settings of a {@link Transport#tls(TlsOptions) TLS transport}: the TLS contexts for both roles, whether the server
 * demands a client certificate, whether the client checks the server's name, the protocol
 * versions and how long a handshake may take.
 *
 * <p>Start from {@link #of(SSLContext)} (one context for both roles, as a node that listens and
 * connects uses) or {@link #of(SSLContext, SSLContext)}; the defaults are mutual TLS
 * ({@link ClientAuth#REQUIRED}), hostname verification on ({@link HostnameVerification#ENABLED}),
 * TLSv1.3 and TLSv1.2 only, and a 10 second handshake timeout. Immutable: each {@code withX}
 * returns a copy with one setting changed.
 *
 * {@snippet class="io.loomas.transport.TlsReadmeExampleTest" region="tls"}
 *
 * @param serverContext the context a listener uses: its key manager presents the server's
 *     certificate, its trust manager checks client certificates
 * @param clientContext the context {@code connect} uses: its key manager presents the client's
 *     certificate (if any), its trust manager checks the server's certificate
 * @param clientAuth whether the server demands, requests or ignores a client certificate
 * @param hostnameVerification whether the client checks that the server's certificate names the
 *     host it connects to (RFC 2818 rules, as HTTPS clients do)
 * @param protocols the TLS versions to enable, a non-empty subset of {@code TLSv1.3} and
 *     {@code TLSv1.2}
 * @param handshakeTimeout how long a handshake may take before the connection is dropped; positive
 */
public record TlsOptions(
        SSLContext serverContext,
        SSLContext clientContext,
        ClientAuth clientAuth,
        HostnameVerification hostnameVerification,
        List<String> protocols,
        Duration handshakeTimeout) {

    /** The protocol versions loomas allows: older ones have known weaknesses and are never enabled. */
    public static final List<String> SUPPORTED_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** What a server asks of a client's certificate. */
    public enum ClientAuth {
        /** The client must present a certificate the server trusts (mutual TLS); otherwise the handshake fails. */
        REQUIRED,
        /** The client is asked for a certificate; it may connect without one, but not with an untrusted one. */
        REQUESTED,
        /** The client is not asked for a certificate (server-only TLS). */
        NONE
    }

    /** Whether a client checks that the server's certificate is for the host it connects to. */
    public enum HostnameVerification {
        /** The server's certificate must name the host (DNS name or IP address) of the address connected to. */
        ENABLED,
        /**
         * Any certificate the trust manager accepts will do. Only for closed networks whose CA
         * issues certificates to loomas nodes alone.
         */
        DISABLED
    }

    /** Checks the settings. */
    public TlsOptions {
        Objects.requireNonNull(serverContext, "serverContext");
        Objects.requireNonNull(clientContext, "clientContext");
        Objects.requireNonNull(clientAuth, "clientAuth");
        Objects.requireNonNull(hostnameVerification, "hostnameVerification");
        Objects.requireNonNull(protocols, "protocols");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        protocols = List.copyOf(protocols);
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("protocols must not be empty: " + protocols
                    + " (expected: a subset of " + SUPPORTED_PROTOCOLS + ")");
        }
        for (String p : protocols) {
            if (!SUPPORTED_PROTOCOLS.contains(p)) {
                throw new IllegalArgumentException("protocol not supported: " + p + " (expected: one of "
                        + SUPPORTED_PROTOCOLS + "); older TLS versions are not allowed");
            }
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()
                || handshakeTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("handshakeTimeout out of range: " + handshakeTimeout
                    + " (expected: > 0 and at most " + Integer.MAX_VALUE + " ms)");
        }
    }

    /** {@return options that use {@code context} for both roles, with the defaults the class describes} */
    public static TlsOptions of(SSLContext context) {
        return of(context, context);
    }

    /** {@return options with the given server and client contexts and the defaults the class describes} */
    public static TlsOptions of(SSLContext serverContext, SSLContext clientContext) {
        return new TlsOptions(serverContext, clientContext, ClientAuth.REQUIRED, HostnameVerification.ENABLED,
                SUPPORTED_PROTOCOLS, Duration.ofSeconds(10));
    }

    /** {@return a copy with the given server context} The other components are the same as this object. */
    public TlsOptions withServerContext(SSLContext serverContext) {
        return new TlsOptions(serverContext, clientContext, clientAuth, hostnameVerification, protocols,
                handshakeTimeout);
    }

    /** {@return a copy with the given client context} The other components are the same as this object. */
    public TlsOptions withClientContext(SSLContext clientContext) {
        return new TlsOptions(serverContext, clientContext, clientAuth, hostnameVerification, protocols,
                handshakeTimeout);
    }

    /** {@return a copy with the given client authentication} The other components are the same as this object. */
    public TlsOptions withClientAuth(ClientAuth clientAuth) {
        return new TlsOptions(serverContext, clientContext, clientAuth, hostnameVerification, protocols,
                handshakeTimeout);
    }

    /** {@return a copy with the given hostname verification} The other components are the same as this object. */
    public TlsOptions withHostnameVerification(HostnameVerification hostnameVerification) {
        return new TlsOptions(serverContext, clientContext, clientAuth, hostnameVerification, protocols,
                handshakeTimeout);
    }

    /**
     * {@return a copy that enables only the given protocol versions} The other components are the
     * same as this object.
     *
     * @throws IllegalArgumentException if {@code protocols} is empty or names a version other than
     *     {@code TLSv1.3} and {@code TLSv1.2}
     */
    public TlsOptions withProtocols(List<String> protocols) {
        return new TlsOptions(serverContext, clientContext, clientAuth, hostnameVerification, protocols,
                handshakeTimeout);
    }

    /** {@return a copy with the given handshake timeout} The other components are the same as this object. */
    public TlsOptions withHandshakeTimeout(Duration handshakeTimeout) {
        return new TlsOptions(serverContext, clientContext, clientAuth, hostnameVerification, protocols,
                handshakeTimeout);
    }
}
