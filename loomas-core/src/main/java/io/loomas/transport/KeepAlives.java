package io.loomas.transport;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.net.ExtendedSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns {@link TransportOptions.KeepAlive} into the socket options of a TCP connection. */
final class KeepAlives {
    private static final Logger log = LoggerFactory.getLogger(KeepAlives.class);
    private static final AtomicBoolean warned = new AtomicBoolean();

    private KeepAlives() {}

    /** A socket's options, whether it is a channel or a plain socket (TLS). */
    private interface Options {
        <T> void set(SocketOption<T> option, T value) throws IOException;

        Set<SocketOption<?>> supported();
    }

    static void apply(NetworkChannel channel, TransportOptions.KeepAlive keepAlive) throws IOException {
        if (keepAlive != null) {
            apply(new Options() {
                @Override
                public <T> void set(SocketOption<T> option, T value) throws IOException {
                    channel.setOption(option, value);
                }

                @Override
                public Set<SocketOption<?>> supported() {
                    return channel.supportedOptions();
                }
            }, keepAlive);
        }
    }

    static void apply(Socket socket, TransportOptions.KeepAlive keepAlive) throws IOException {
        if (keepAlive != null) {
            apply(new Options() {
                @Override
                public <T> void set(SocketOption<T> option, T value) throws IOException {
                    socket.setOption(option, value);
                }

                @Override
                public Set<SocketOption<?>> supported() {
                    return socket.supportedOptions();
                }
            }, keepAlive);
        }
    }

    private static void apply(Options socket, TransportOptions.KeepAlive k) throws IOException {
        socket.set(StandardSocketOptions.SO_KEEPALIVE, true);
        Set<SocketOption<?>> supported = socket.supported();
        if (supported.contains(ExtendedSocketOptions.TCP_KEEPIDLE)
                && supported.contains(ExtendedSocketOptions.TCP_KEEPINTERVAL)
                && supported.contains(ExtendedSocketOptions.TCP_KEEPCOUNT)) {
            socket.set(ExtendedSocketOptions.TCP_KEEPIDLE, (int) k.idle().getSeconds());
            socket.set(ExtendedSocketOptions.TCP_KEEPINTERVAL, (int) k.interval().getSeconds());
            socket.set(ExtendedSocketOptions.TCP_KEEPCOUNT, k.probes());
        } else if (warned.compareAndSet(false, true)) {
            log.warn("This platform cannot set TCP keepalive's timing: keepalive is on with the system's defaults"
                    + " (often 2 hours of quiet before the first probe), not {}", k);
        }
    }
}
