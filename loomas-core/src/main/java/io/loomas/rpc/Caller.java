package io.loomas.rpc;

import io.loomas.transport.Address;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * Who made the call an exposed method (or a {@link CallInterceptor}) is serving: the peer's
 * address and, over TLS, the certificate it authenticated with.
 *
 * {@snippet class="io.loomas.snippets.RpcSnippets" region="caller"}
 *
 * @param address the peer's address
 * @param certificates the peer's certificate chain, its own first; empty on a plain transport
 */
public record Caller(Address address, List<X509Certificate> certificates) {
    private static final ThreadLocal<Caller> CURRENT = new ThreadLocal<>();

    /** Checks and copies the chain. */
    public Caller {
        Objects.requireNonNull(address, "address");
        certificates = List.copyOf(certificates);
    }

    /**
     * {@return the caller of the call this task serves: in an exposed method, or an interceptor,
     * of an incoming RPC call}
     *
     * @throws IllegalStateException in a task that serves no call (one it spawned, say)
     */
    public static Caller current() {
        Caller c = CURRENT.get();
        if (c == null) {
            throw new IllegalStateException("no RPC call is served by this task (Caller.current() works in an exposed"
                    + " method or a CallInterceptor, while it serves the call)");
        }
        return c;
    }

    /** {@return the subject of the peer's certificate, if it sent one} */
    public Optional<X500Principal> subject() {
        return certificates.isEmpty() ? Optional.empty() : Optional.of(certificates.get(0).getSubjectX500Principal());
    }

    /**
     * {@return the subject alternative names of the peer's certificate (DNS names, IP addresses,
     * URIs such as {@code urn:example:role:admin}), as text; empty without one}
     */
    public List<String> subjectAlternativeNames() {
        if (certificates.isEmpty()) {
            return List.of();
        }
        try {
            Collection<List<?>> names = certificates.get(0).getSubjectAlternativeNames();
            List<String> all = new ArrayList<>();
            if (names != null) {
                for (List<?> entry : names) {
                    all.add(String.valueOf(entry.get(1)));
                }
            }
            return List.copyOf(all);
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    /** Runs {@code body} as serving a call of {@code caller}. */
    static void serving(Caller caller, Runnable body) {
        Caller before = CURRENT.get();
        CURRENT.set(caller);
        try {
            body.run();
        } finally {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        }
    }
}
