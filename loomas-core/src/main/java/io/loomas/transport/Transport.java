package io.loomas.transport;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * A way to open framed connections and to listen for them: TCP and Unix domain sockets, the
 * in-JVM local queue, or a simulated network.
 *
 * <p>A service-provider interface: users may implement it, with {@link Connection} and
 * {@link Listener}, to carry loomas' frames over a medium of their own, and hand it to a channel
 * with {@code ChannelOptions.withTransport}.
 *
 * <p>Implementations are thread-safe. {@link #connect} may block the calling thread for the
 * connect itself; layers above call it off the loop.
 */
public interface Transport {

    /**
     * Opens one connection to {@code address} (one attempt, no retry).
     *
     * @throws IOException if the peer cannot be reached (refused, unknown host, no such socket)
     */
    Connection connect(Address address, TransportOptions options) throws IOException;

    /**
     * Starts listening on {@code address}; each accepted connection goes to {@code onAccept} on the
     * listener's thread (keep it short: start the connection and hand it on). A transport with a
     * per-connection set-up, such as TLS's handshake, may call {@code onAccept} from several threads
     * at once, so it must be thread-safe.
     *
     * @throws IOException if the address cannot be bound (in use, bad path)
     */
    Listener listen(Address address, TransportOptions options, Consumer<Connection> onAccept) throws IOException;

    /**
     * {@return TCP with TLS: the frames of a plain TCP connection inside a TLS session that
     * authenticates the server and, by default, the client too (mutual TLS)}
     *
     * <p>The same transport can listen and connect; it takes {@link Address.Tcp} addresses only.
     * <ul>
     *   <li>A connect completes the handshake before it returns, so a server that is not trusted,
     *       whose certificate does not name the host connected to, or that does not speak TLS fails
     *       the connect with an {@link IOException} saying so. With TLSv1.3 the server checks the
     *       client's certificate after the client's handshake is done; a rejected client learns it
     *       on its first read, as a closed connection naming the alert.
     *   <li>A listener hands a connection to {@code onAccept} only after its handshake succeeded.
     *       Each handshake runs on its own virtual thread, so a slow or hostile client does not
     *       hold up the others; one that fails is logged and closed, and the listener goes on.
     * </ul>
     *
     * <p>Both sides enable only the protocol versions of {@link TlsOptions#protocols()} (never older
     * than TLSv1.2). Frames are limited to {@link TransportOptions#maxFrameSize()} as on plain TCP.
     *
     * {@snippet class="io.loomas.transport.TlsReadmeExampleTest" region="tls"}
     */
    static Transport tls(TlsOptions options) {
        return new TlsTransport(options);
    }

    /**
     * {@return whether {@link #connect} may block the calling thread (a real network), so a task
     * must run it off its loop; a simulated network connects at once and says false, which keeps
     * connects on the loop and deterministic}
     */
    default boolean connectBlocks() {
        return true;
    }

    /** {@return the transport for {@code address}: sockets for TCP and Unix, the local queue for local} */
    static Transport forAddress(Address address) {
        return switch (address) {
            case Address.Tcp t -> SocketTransport.INSTANCE;
            case Address.Unix u -> SocketTransport.INSTANCE;
            case Address.Local l -> LocalTransport.INSTANCE;
        };
    }
}
