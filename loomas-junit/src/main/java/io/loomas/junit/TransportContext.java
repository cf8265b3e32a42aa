package io.loomas.junit;

import io.loomas.agent.Container;
import io.loomas.agent.ContainerOptions;
import io.loomas.channel.Channel;
import io.loomas.channel.ChannelOptions;
import io.loomas.channel.Channels;
import io.loomas.channel.ConnectionHandler;
import io.loomas.channel.Server;
import io.loomas.rpc.Rpc;
import io.loomas.rpc.RpcConnection;
import io.loomas.rpc.RpcOptions;
import io.loomas.rpc.RpcServer;
import io.loomas.transport.Address;
import io.loomas.transport.Transport;
import java.io.IOException;
import java.util.Objects;

/**
 * The transport and codec of one test, with shortcuts that open servers and connections on it and
 * close them after the test, whether it passed or failed: the Java form of the {@code ctx} fixture
 * of aiomas' test suite.
 *
 * <p>Servers are bound to a free address with no race: port 0 for TCP and TLS (the bound server
 * tells its port), a socket file in a short temporary directory for Unix sockets (removed after the
 * test), a name unique to the test for the local transport. {@link #address()} is where the last
 * server started here listens, and {@link #connect()} connects to it.
 *
 * {@snippet class="io.loomas.snippets.KitSnippets" region="transport-context"}
 *
 * <p>Methods that open something must be called from a task of the test's loop (the test method
 * itself, or a task it spawned). Not thread-safe: use it from one task at a time.
 */
public final class TransportContext {
    private final TestRun run;
    private final TransportKind transport;
    private final CodecKind codec;
    private final ChannelOptions channelOptions;
    private Address address; // where the last server started here listens

    TransportContext(TestRun run, TransportKind transport, CodecKind codec, Transport tls) {
        this.run = run;
        this.transport = transport;
        this.codec = codec;
        ChannelOptions options = ChannelOptions.DEFAULT.withCodec(codec.codec());
        this.channelOptions = transport == TransportKind.TLS ? options.withTransport(Objects.requireNonNull(tls)) : options;
    }

    /** {@return the transport of this test} */
    public TransportKind transport() {
        return transport;
    }

    /** {@return the codec of this test} */
    public CodecKind codec() {
        return codec;
    }

    /** {@return channel options for this transport and codec (with the test CA's mutual TLS for {@link TransportKind#TLS})} */
    public ChannelOptions channelOptions() {
        return channelOptions;
    }

    /** {@return RPC options on {@link #channelOptions()}} */
    public RpcOptions rpcOptions() {
        return RpcOptions.DEFAULT.withChannelOptions(channelOptions);
    }

    /** {@return container options on {@link #channelOptions()}} */
    public ContainerOptions containerOptions() {
        return ContainerOptions.DEFAULT.withChannelOptions(channelOptions);
    }

    /**
     * {@return a fresh address to bind a server of your own to: {@code tcp://127.0.0.1:0}, a new
     * socket path in the test's short temporary directory, or a new local name}
     */
    public Address bindAddress() {
        return run.freshAddress(transport);
    }

    /**
     * {@return the address the last server started through this context listens on}
     *
     * @throws IllegalStateException if no server was started through this context yet
     */
    public Address address() {
        if (address == null) {
            throw new IllegalStateException("no server started through this TransportContext yet; call startServer(...),"
                    + " startRpcServer(...) or createContainer() first, or bindAddress() for an address to bind yourself");
        }
        return address;
    }

    /**
     * Starts a channel server on a free address; {@code handler} runs for each connection as a task of
     * the test's loop. The server is closed, and its handlers awaited, after the test.
     *
     * @return the running server; never {@code null}
     * @throws IOException if the address cannot be bound
     * @throws IllegalStateException if not called from a task of the test's loop
     */
    public Server startServer(ConnectionHandler handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        Server server = Channels.startServer(bindAddress(), handler, channelOptions);
        run.closeAfterTest(server, () -> {
            server.close();
            server.awaitClosed();
        });
        address = server.address();
        return server;
    }

    /**
     * Opens a channel to {@link #address()}; it is closed after the test.
     *
     * @throws IllegalStateException if no server was started through this context yet
     * @throws IOException if the server cannot be reached
     */
    public Channel connect() throws IOException {
        Channel channel = Channels.connect(address(), channelOptions);
        run.closeAfterTest(channel, channel::close);
        return channel;
    }

    /**
     * Starts a server with {@link #startServer} and connects to it with {@link #connect()}.
     *
     * @return the client's channel
     * @throws IOException as they do
     */
    public Channel startServerAndConnect(ConnectionHandler handler) throws IOException {
        startServer(handler);
        return connect();
    }

    /**
     * Starts an RPC server for {@code service} on a free address; it is closed after the test.
     *
     * @throws IOException if the address cannot be bound
     * @throws IllegalArgumentException if {@code service} exposes nothing
     */
    public RpcServer startRpcServer(Object service) throws IOException {
        Objects.requireNonNull(service, "service");
        RpcServer server = Rpc.startServer(bindAddress(), service, rpcOptions());
        run.closeAfterTest(server, () -> {
            server.close();
            server.awaitClosed();
        });
        address = server.address();
        return server;
    }

    /**
     * Connects an RPC client to {@link #address()}; it is closed after the test.
     *
     * @throws IllegalStateException if no server was started through this context yet
     * @throws IOException if the server cannot be reached
     */
    public RpcConnection connectRpc() throws IOException {
        return connectRpc(null);
    }

    /**
     * Connects an RPC client to {@link #address()} offering {@code service} for the server to call
     * back; it is closed after the test.
     *
     * @param service the service the server may call, or {@code null} for none
     * @throws IllegalStateException if no server was started through this context yet
     * @throws IOException if the server cannot be reached
     */
    public RpcConnection connectRpc(Object service) throws IOException {
        RpcConnection client = Rpc.connect(address(), service, rpcOptions());
        run.closeAfterTest(client, () -> {
            client.close();
            client.awaitClosed();
        });
        return client;
    }

    /**
     * Starts an RPC server with {@link #startRpcServer} and connects to it with {@link #connectRpc()}.
     *
     * @return the client's connection
     * @throws IOException as they do
     */
    public RpcConnection startRpcServerAndConnect(Object service) throws IOException {
        startRpcServer(service);
        return connectRpc();
    }

    /**
     * Creates a container on a free address of this transport; it is shut down after the test.
     *
     * @throws IOException if the address cannot be bound
     */
    public Container createContainer() throws IOException {
        Container container = Container.create(bindAddress(), containerOptions());
        run.closeAfterTest(container, container::shutdown);
        address = container.address();
        return container;
    }

    @Override
    public String toString() {
        return transport.label() + "/" + codec.label();
    }
}
