package io.loomas.channel;

import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import io.loomas.runtime.internal.LogContext;
import io.loomas.runtime.internal.OpenResources;
import io.loomas.transport.Address;
import io.loomas.transport.Connection;
import io.loomas.transport.Listener;
import io.loomas.transport.Transport;
import io.loomas.transport.internal.Connector;
import java.io.IOException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry points of the channel layer: open a {@link Channel} to a server, or start a
 * {@link Server} that hands each connection's channel to a handler.
 *
 * {@snippet class="io.loomas.snippets.ChannelSnippets" region="server-and-channel"}
 */
public final class Channels {
    private static final Logger log = LoggerFactory.getLogger(Channels.class);

    private Channels() {}

    /**
     * Connects to {@code address}, retrying as {@link ChannelOptions#connectTimeout()} says.
     * Called from a task, the connect does not hold the loop.
     *
     * @throws IOException if the peer cannot be reached within the connect timeout
     */
    public static Channel connect(Address address, ChannelOptions options) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        Connection c = Connector.connect(address, options.transport(), options.transportOptions(),
                options.connectTimeout(), options.backoff());
        Channel channel = new Channel(c, options);
        channel.tracked(OpenResources.track(channel)); // listed by the caller's loop until it closes
        return channel.start(false);
    }

    /**
     * Starts a server on {@code address}; each accepted connection's channel goes to
     * {@code handler}, run as a new task of the calling task's loop.
     *
     * @throws IOException if the address cannot be bound
     * @throws IllegalStateException if not called from a task
     */
    public static Server startServer(Address address, ConnectionHandler handler, ChannelOptions options)
            throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        Loop loop = Loop.current();
        Object owner = Task.current().owner(); // handlers work for whoever runs the server
        Transport transport = options.transport() != null ? options.transport() : Transport.forAddress(address);
        Server server = new Server();
        Listener listener = transport.listen(address, options.transportOptions(), connection -> {
            if (!server.beginAdmission()) {
                // Handed over after close() (a TLS handshake that was still running): awaitClosed()
                // may have returned already, so no handler may start for it.
                connection.close();
                return;
            }
            try {
                admit(loop, owner, server, connection, handler, options);
            } finally {
                server.endAdmission();
            }
        });
        server.listening(listener);
        return server;
    }

    /** Runs {@code handler} for a connection the open server admitted, as a task of its loop. */
    private static void admit(Loop loop, Object owner, Server server, Connection connection, ConnectionHandler handler,
            ChannelOptions options) {
        Channel channel = new Channel(connection, options);
        Task<Void> task;
        try (LogContext.Scope scope = LogContext.peer(connection.remoteAddress())) { // the handler inherits it
            task = loop.spawn("handler " + connection.remoteAddress(), owner, () -> {
                handler.handle(channel);
                return null;
            });
        } catch (IllegalStateException loopClosed) {
            log.warn("Refusing connection from {}: {}", connection.remoteAddress(), loopClosed.getMessage());
            connection.close();
            return;
        }
        task.onComplete(done -> {
            if (done.isFailed()) {
                loop.reportFailure("Connection handler for " + connection.remoteAddress() + " failed",
                        done.exception());
                channel.close();
            }
        });
        server.add(channel, task); // before reading starts, so a served channel is always listed
        channel.start(true);
    }
}
