package io.loomas.transport;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a listener's acceptor does besides accepting: it keeps at most
 * {@link TransportOptions#maxConnections()} connections open, and when accepting fails (out of
 * file descriptors, say) it backs off and tries again instead of giving up for good. Each episode
 * is logged once, when it begins and when it ends. Used by the acceptor thread only, except
 * {@link #ended()}.
 */
final class Admission {
    private static final Logger log = LoggerFactory.getLogger(Admission.class);
    private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long LONGEST_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Address address;
    private final int maxConnections;
    private final AtomicInteger open = new AtomicInteger();
    private long pauseNanos;
    private boolean full;

    Admission(Address address, TransportOptions options) {
        this.address = address;
        this.maxConnections = options.maxConnections();
    }

    /**
     * Accepting failed while the listener is open: waits (10 ms, doubling up to 1 s) before the
     * next try. {@link LockSupport#unpark} on the acceptor ends the wait early (a close does).
     */
    void acceptFailed(IOException e) {
        if (pauseNanos == 0) {
            log.warn("Listener {} cannot accept connections: {}; retrying with back-off (logged once until it can)",
                    address, e.toString());
            pauseNanos = FIRST_PAUSE_NANOS;
        } else {
            pauseNanos = Math.min(2 * pauseNanos, LONGEST_PAUSE_NANOS);
        }
        LockSupport.parkNanos(this, pauseNanos);
    }

    /** A connection was accepted: {@return whether it may stay open} (else the caller closes it) */
    boolean admit() {
        if (pauseNanos != 0) {
            log.info("Listener {} accepts connections again", address);
            pauseNanos = 0;
        }
        if (open.get() >= maxConnections) {
            if (!full) {
                full = true;
                log.warn("Listener {} refuses connections: {} are open, the most allowed"
                        + " (TransportOptions.maxConnections); logged once until there is room", address, open.get());
            }
            return false;
        }
        if (full) {
            full = false;
            log.info("Listener {} has room for connections again", address);
        }
        open.incrementAndGet();
        return true;
    }

    /** An admitted connection ended. Thread-safe. */
    void ended() {
        open.decrementAndGet();
    }

    /** {@return the connections admitted and not ended} */
    int open() {
        return open.get();
    }
}
