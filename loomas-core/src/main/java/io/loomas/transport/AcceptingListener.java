package io.loomas.transport;

import io.loomas.runtime.internal.LogContext;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener on a server socket whose acceptor thread takes clients one by one: what the socket
 * and the TLS transports share. The acceptor asks {@link Admission} before it keeps a client (a
 * cap on connections, a back-off when accepting fails), and {@link #close()} returns only once the
 * acceptor has released the socket, so the address can be listened on again at once.
 *
 * @param <S> the accepted client socket
 */
abstract class AcceptingListener<S extends AutoCloseable> implements Listener {
    private static final Logger log = LoggerFactory.getLogger(AcceptingListener.class);

    private final Address address;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Thread acceptor;

    AcceptingListener(Address address) {
        this.address = address;
    }

    /** Starts the acceptor; each client kept is handed to {@link #handOver}. */
    final void start(TransportOptions options, Consumer<Connection> onAccept) {
        String loop = LogContext.currentLoop(); // the server's, for the acceptor's log lines
        acceptor = Thread.ofVirtual().name("acceptor " + address).start(() -> {
            LogContext.enterThread(loop, null);
            acceptLoop(options, onAccept);
        });
    }

    private void acceptLoop(TransportOptions options, Consumer<Connection> onAccept) {
        Admission admission = new Admission(address, options);
        while (!closed.get()) {
            S client;
            try {
                client = accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed.get()) {
                    admission.acceptFailed(e); // out of file descriptors, say: wait, then go on
                }
                continue;
            }
            if (!admission.admit()) {
                closeQuietly(client);
                continue;
            }
            handOver(client, options, onAccept, admission);
        }
    }

    /** Waits for the next client. */
    abstract S accept() throws IOException;

    /**
     * Makes a connection of an admitted client and gives it to {@code onAccept}, or closes the
     * client; either way {@code admission} hears when it ends ({@link Admission#ended()}).
     */
    abstract void handOver(S client, TransportOptions options, Consumer<Connection> onAccept, Admission admission);

    /** Closes the server socket, which ends a blocked {@link #accept()}. */
    abstract void closeServer();

    /** Runs once the acceptor has let go of the socket. */
    void afterClose() {}

    /** {@return whether {@link #close()} was called} */
    final boolean isClosing() {
        return closed.get();
    }

    @Override
    public final Address address() {
        return address;
    }

    @Override
    public final void close() {
        if (closed.compareAndSet(false, true)) {
            closeServer();
            Thread a = acceptor;
            if (a != null) {
                LockSupport.unpark(a); // ends a back-off pause
            }
            // While the acceptor is blocked in accept(), closing only marks the socket closed; the
            // acceptor releases it (and the port) on its way out. Wait for that.
            awaitAcceptor(a);
            afterClose();
        }
    }

    private static void awaitAcceptor(Thread acceptor) {
        if (acceptor == null || acceptor == Thread.currentThread()) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                acceptor.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            log.debug("Closing {} failed", c, e);
        }
    }
}
