package io.loomas.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import io.loomas.transport.Address;

/**
 * A TCP relay between a client and one server that records every frame in each direction, so a
 * test can assert on the exact bytes on the wire. Serves one connection.
 */
public final class WireTap implements AutoCloseable {
    private final ServerSocketChannel listener;
    private final InetSocketAddress target;
    private final List<byte[]> toServer = new CopyOnWriteArrayList<>();
    private final List<byte[]> toClient = new CopyOnWriteArrayList<>();

    private WireTap(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        Thread.ofVirtual().name("wiretap").start(this::relay);
    }

    /** Starts a tap in front of the TCP server at {@code server}. */
    public static WireTap inFrontOf(Address.Tcp server) throws IOException {
        return new WireTap(new InetSocketAddress(server.host(), server.port()));
    }

    /** {@return the address clients should connect to} */
    public Address.Tcp address() throws IOException {
        InetSocketAddress a = (InetSocketAddress) listener.getLocalAddress();
        return Address.tcp("127.0.0.1", a.getPort());
    }

    /** {@return the payloads sent from client to server so far, as text} */
    public List<String> clientToServer() {
        return toServer.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    /** {@return the payloads sent from server to client so far, as text} */
    public List<String> serverToClient() {
        return toClient.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    private void relay() {
        try (SocketChannel client = listener.accept(); SocketChannel server = SocketChannel.open(target)) {
            Thread up = Thread.ofVirtual().start(() -> pump(client, server, toServer));
            pump(server, client, toClient);
            up.join();
        } catch (IOException | InterruptedException e) {
            // the tap ends with its connection
        }
    }

    /** Copies bytes from {@code in} to {@code out} unchanged, recording each whole frame. */
    private static void pump(SocketChannel in, SocketChannel out, List<byte[]> frames) {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
        try {
            while (in.read(buf) >= 0) {
                buf.flip();
                byte[] chunk = new byte[buf.remaining()];
                buf.get(chunk);
                pending.write(chunk);
                byte[] all = pending.toByteArray();
                int pos = 0;
                while (all.length - pos >= 4) {
                    int len = ByteBuffer.wrap(all, pos, 4).getInt();
                    if (all.length - pos - 4 < len) {
                        break;
                    }
                    frames.add(java.util.Arrays.copyOfRange(all, pos + 4, pos + 4 + len));
                    pos += 4 + len;
                }
                pending.reset();
                pending.write(all, pos, all.length - pos);
                // Record first, then forward: a test that saw the reply also sees the frame.
                ByteBuffer forward = ByteBuffer.wrap(chunk);
                while (forward.hasRemaining()) {
                    out.write(forward);
                }
                buf.clear();
            }
            out.shutdownOutput();
        } catch (IOException e) {
            // either side went away
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
