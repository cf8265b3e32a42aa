package io.loomas.rpc;

import io.loomas.channel.Server;
import io.loomas.transport.Address;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.Collections;
import java.util.LinkedHashSet;

/**
 * An RPC server: serves one service tree to every connection, and keeps an {@link RpcConnection} per
 * connection through which it can call that client back. Thread-safe.
 */
public final class RpcServer implements AutoCloseable {
    private volatile Server server; // set right after listening, before any connection is served
    private final Router router;
    private final Set<RpcConnection> clients = Collections.synchronizedSet(new LinkedHashSet<>()); // ordered: see Server

    RpcServer(Router router) {
        this.router = router;
    }

    void listening(Server server) {
        this.server = server;
    }

    /** {@return the address it listens on} */
    public Address address() {
        return server.address();
    }

    /** {@return the service tree it serves} */
    public Router router() {
        return router;
    }

    /** {@return the connections open now} */
    public List<RpcConnection> clients() {
        synchronized (clients) {
            return List.copyOf(clients);
        }
    }

    /** Stops accepting and closes every connection at once; calls in flight end with a closed connection. */
    @Override
    public void close() {
        server.close();
    }

    /** The same as {@link #close()}, beside {@link #shutdown(Duration)}. */
    public void shutdownNow() {
        server.close();
    }

    /**
     * Shuts down gracefully: stops accepting, lets the calls already received finish within {@code
     * grace} (on the loop's clock), then closes every connection; a call that arrives meanwhile
     * fails at once, saying the server shuts down and did not serve it. A scheduling point.
     *
     * @return whether every call in flight finished within {@code grace}
     */
    public boolean shutdown(Duration grace) {
        return server.shutdown(grace);
    }

    /** Waits until every connection's task has finished. A scheduling point; call after {@link #close()}. */
    public void awaitClosed() {
        server.awaitClosed();
    }

    void add(RpcConnection client) {
        clients.add(client);
        client.closed().whenDone(() -> clients.remove(client));
    }

    @Override
    public String toString() {
        return "RpcServer[" + address() + "]";
    }
}
