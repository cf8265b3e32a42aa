package io.loomas.rpc;

import io.loomas.channel.Channel;
import io.loomas.channel.ChannelOptions;
import io.loomas.channel.Channels;
import io.loomas.channel.Server;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import io.loomas.runtime.internal.LogContext;
import io.loomas.transport.Address;
import java.io.IOException;
import java.util.Objects;

/**
 * Entry points of the RPC layer: serve a service tree, or connect to one.
 *
 * {@snippet class="io.loomas.snippets.RpcSnippets" region="rpc"}
 *
 * <p>On the wire a call is a channel request {@code [path, args, kwargs]}, as in aiomas. Services
 * passed as arguments or results travel as their path and arrive as proxies that call back over
 * the same connection. Both functions must be called from a task: the calls of the peer are served
 * by tasks of that loop.
 */
public final class Rpc {
    private Rpc() {}

    /**
     * Connects to an RPC server without offering a service of one's own.
     *
     * @throws IOException if the server cannot be reached within the connect timeout
     */
    public static RpcConnection connect(Address address, RpcOptions options) throws IOException {
        return connect(address, null, options);
    }

    /**
     * Connects to an RPC server and offers {@code service} to it: the server may call back.
     *
     * @param service the local service tree the server may call, or {@code null} for none
     * @throws IOException if the server cannot be reached within the connect timeout
     * @throws IllegalStateException if not called from a task
     */
    public static RpcConnection connect(Address address, Object service, RpcOptions options) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        Loop loop = Loop.current();
        Router router = service == null ? null : Router.of(service);
        Channel channel = Channels.connect(address, withProxies(options.channelOptions()));
        RpcConnection client = new RpcConnection(channel, router, options);
        try (LogContext.Scope scope = LogContext.peer(channel.peerAddress())) { // the serving task inherits it
            client.servedBy(loop.spawn("rpc-serve " + channel, () -> {
                client.serve();
                return null;
            }));
        }
        return client;
    }

    /**
     * Starts serving {@code service} on {@code address}; each connection is served by tasks of the
     * calling task's loop.
     *
     * @throws IOException if the address cannot be bound
     * @throws IllegalArgumentException if {@code service} is not a service
     * @throws IllegalStateException if not called from a task
     */
    public static RpcServer startServer(Address address, Object service, RpcOptions options) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(options, "options");
        Router router = Router.of(service);
        RpcServer rpcServer = new RpcServer(router);
        Server server = Channels.startServer(address, channel -> {
            RpcConnection client = new RpcConnection(channel, router, options);
            client.servedBy(Task.current()); // this handler task serves the connection
            rpcServer.add(client);
            options.onConnect().accept(client);
            client.serve();
        }, withProxies(options.channelOptions()));
        rpcServer.listening(server);
        return rpcServer;
    }

    /** {@return options whose connections append the service/proxy serializer to their codec} */
    static ChannelOptions withProxies(ChannelOptions options) {
        var before = options.connectionCodec();
        return options.withConnectionCodec(codec -> ProxySerializer.appendTo(before.apply(codec)));
    }
}
