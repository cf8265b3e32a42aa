package io.loomas.transport;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a server listens or a connection goes: a TCP host and port, a Unix domain socket path, or
 * the name of an in-JVM local queue.
 *
 * <p>The text forms are {@code tcp://host:port} ({@code tcp://[::1]:port} for IPv6),
 * {@code ipc://path} for Unix domain sockets, and {@code local://name}; {@link #parse} reads them
 * and {@link Object#toString()} writes them. Immutable.
 */
public sealed interface Address permits Address.Tcp, Address.Unix, Address.Local {

    /** {@return a TCP address; port 0 asks the operating system for a free port when listening} */
    static Tcp tcp(String host, int port) {
        return new Tcp(host, port);
    }

    /** {@return a Unix domain socket address} */
    static Unix unix(Path path) {
        return new Unix(path);
    }

    /** {@return the address of an in-JVM local queue} */
    static Local local(String name) {
        return new Local(name);
    }

    /**
     * Parses {@code tcp://host:port}, {@code ipc://path} or {@code local://name}.
     *
     * @throws IllegalArgumentException naming the text and the expected forms if it is none of them
     */
    static Address parse(String text) {
        Objects.requireNonNull(text, "text");
        String expected = " (expected: tcp://host:port, ipc://path or local://name)";
        if (text.startsWith("ipc://") && text.length() > 6) {
            return new Unix(Path.of(text.substring(6)));
        }
        if (text.startsWith("local://") && text.length() > 8) {
            return new Local(text.substring(8));
        }
        if (text.startsWith("tcp://")) {
            try {
                URI uri = new URI(text);
                String host = uri.getHost();
                // Only host and port: user info, a path, a query or a fragment would be silently dropped.
                if (host != null && uri.getPort() >= 0 && uri.getRawUserInfo() == null
                        && (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
                        && uri.getRawFragment() == null) {
                    if (host.startsWith("[") && host.endsWith("]")) {
                        host = host.substring(1, host.length() - 1);
                    }
                    return new Tcp(host, uri.getPort());
                }
            } catch (java.net.URISyntaxException | IllegalArgumentException e) {
                throw new IllegalArgumentException("malformed address: \"" + text + "\": " + e.getMessage() + expected,
                        e);
            }
        }
        throw new IllegalArgumentException("malformed address: \"" + text + "\"" + expected);
    }

    /**
     * A TCP address.
     *
     * @param host a host name or IP address literal (IPv6 without brackets)
     * @param port the port, 0 to 65535
     */
    record Tcp(String host, int port) implements Address {
        /** Checks host and port. */
        public Tcp {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port + " (expected: 0..65535)");
            }
        }

        @Override
        public String toString() {
            return "tcp://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * A Unix domain socket address.
     *
     * @param path the socket file; at most about 106 bytes long
     */
    record Unix(Path path) implements Address {
        /** Checks the path. */
        public Unix {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return "ipc://" + path;
        }
    }

    /**
     * The address of an in-JVM local queue: connections to it never leave the process.
     *
     * @param name the queue's name, unique among the listening local servers of the JVM
     */
    record Local(String name) implements Address {
        /** Checks the name. */
        public Local {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("local queue name must not be empty");
            }
        }

        @Override
        public String toString() {
            return "local://" + name;
        }
    }
}
