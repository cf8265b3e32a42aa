package io.loomas.transport.internal;

import io.loomas.runtime.CancelledException;
import io.loomas.runtime.Clock;
import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import io.loomas.runtime.internal.CurrentTask;
import io.loomas.runtime.internal.LogContext;
import io.loomas.transport.Address;
import io.loomas.transport.Backoff;
import io.loomas.transport.Connection;
import io.loomas.transport.Transport;
import io.loomas.transport.TransportOptions;
import java.io.IOException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens connections with aiomas' retry rule: a timeout of zero makes one attempt; a positive one
 * retries refused connects with back-off ({@link Backoff#AIOMAS}, or the one given) until the time is
 * up; {@link #FOREVER} retries until it works. A TLS handshake that was refused for good (an
 * untrusted certificate, one for another host, an alert from the peer) is not retried.
 *
 * <p>Called from a task, the connect runs off the loop and the back-off sleeps on the loop's clock,
 * so other tasks go on meanwhile. Thread-safe.
 */
public final class Connector {
    private static final Logger log = LoggerFactory.getLogger(Connector.class);

    /** A connect timeout that never runs out. */
    public static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

    private Connector() {}

    /**
     * Connects to {@code address}, retrying as the class describes.
     *
     * @param transport the transport to use, or {@code null} for {@link Transport#forAddress}
     * @param timeout {@link Duration#ZERO} for one attempt, else how long to keep retrying
     * @throws IOException the last attempt's failure, once the time is up
     */
    public static Connection connect(Address address, Transport transport, TransportOptions options,
            Duration timeout) throws IOException {
        return connect(address, transport, options, timeout, Backoff.AIOMAS);
    }

    /**
     * Connects to {@code address}, retrying as the class describes with the pauses of {@code backoff}.
     *
     * @param transport the transport to use, or {@code null} for {@link Transport#forAddress}
     * @param timeout {@link Duration#ZERO} for one attempt, else how long to keep retrying
     * @throws IOException the last attempt's failure, once the time is up
     */
    public static Connection connect(Address address, Transport transport, TransportOptions options,
            Duration timeout, Backoff backoff) throws IOException {
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("connect timeout must not be negative: " + timeout + " (expected: >= 0)");
        }
        Transport t = transport != null ? transport : Transport.forAddress(address);
        if (t.connectBlocks()) {
            // A connect that blocks is a real one, done off the loop: say so before offload refuses it.
            RealTransports.refuseInSimulation("connect over a real transport to", address);
        }
        Task<?> task = CurrentTask.get();
        Clock clock = task != null ? task.loop().clock() : Clock.system();
        try (LogContext.Scope scope = LogContext.peer(address)) { // the attempts' log lines name it
            return retrying(t, address, options, timeout, backoff, task, clock);
        }
    }

    private static Connection retrying(Transport t, Address address, TransportOptions options, Duration timeout,
            Backoff backoff, Task<?> task, Clock clock) throws IOException {
        Duration start = clock.now();
        int retry = 0;
        while (true) {
            try {
                return attempt(t, address, options, task);
            } catch (IOException e) {
                if (cannotSucceed(e)) {
                    log.debug("Connecting to {} failed ({}); not retried: it would fail the same way", address, e.getMessage());
                    throw new IOException(e.getMessage() + " (not retried: a certificate or TLS handshake that was"
                            + " refused is refused again)", e);
                }
                Duration waited = clock.now().minus(start);
                Duration left = timeout.equals(FOREVER) ? FOREVER : timeout.minus(waited);
                if (left.isNegative() || left.isZero()) {
                    throw e;
                }
                Duration next = backoff.pause(++retry);
                Duration pause = next.compareTo(left) < 0 ? next : left;
                log.debug("Connecting to {} failed ({}); retrying in {}", address, e.getMessage(), pause);
                if (task != null) {
                    clock.sleep(pause);
                } else {
                    try {
                        Thread.sleep(pause);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while connecting to " + address, ie);
                    }
                }
            }
        }
    }

    /**
     * {@return whether a failed connect would fail the same way if tried again: a certificate that
     * is not trusted or does not name the host, a peer that sent a TLS alert (it refused this
     * side's certificate or offer), a peer that does not speak TLS. A refused connect, a reset or a
     * timeout may succeed later, and is retried.}
     */
    static boolean cannotSucceed(IOException failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.security.cert.CertificateException) {
                return true;
            }
            if (t instanceof javax.net.ssl.SSLHandshakeException h) {
                String m = String.valueOf(h.getMessage());
                if (m.contains("fatal alert") || m.contains("Unsupported or unrecognized SSL message")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Connection attempt(Transport t, Address address, TransportOptions options, Task<?> task)
            throws IOException {
        if (task == null || !t.connectBlocks()) {
            return t.connect(address, options);
        }
        Future<Connection> pending = task.loop().offload(() -> t.connect(address, options));
        try {
            return pending.await();
        } catch (CancelledException e) {
            // The connect goes on off the loop; whatever it opens must not leak.
            pending.onComplete(done -> {
                if (done.state() == Future.State.SUCCEEDED) {
                    done.result().close();
                }
            });
            throw e;
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }


}
