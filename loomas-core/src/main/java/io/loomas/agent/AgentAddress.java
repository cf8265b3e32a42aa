package io.loomas.agent;

import io.loomas.transport.Address;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The address of an agent: its container's address and its id, as text {@code tcp://host:port/<id>},
 * {@code ipc://[<socket path>]/<id>} or {@code local://<queue>/<id>}.
 *
 * <p>As in aiomas, the id may go on into the agent's services: {@code tcp://host:5555/0/sub}
 * names the sub-service {@code sub} of agent {@code 0}; and an IPv6 host may be written with or
 * without brackets ({@code tcp://[::1]:5555/0}, or {@code tcp://::1:5555/0} as aiomas prints it).
 *
 * @param container where the agent's container listens
 * @param id the agent's id in its container ("0", "1", ...), then optionally {@code /} and the
 *     path of one of its sub-services
 */
public record AgentAddress(Address container, String id) {

    /** Checks the parts. */
    public AgentAddress {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(id, "id");
        if (id.isEmpty() || id.startsWith("/") || id.endsWith("/") || id.contains("//")) {
            throw new IllegalArgumentException("agent id must be non-empty, with '/' only between names: \"" + id + "\"");
        }
    }

    /** {@return the id of the agent itself: {@link #id()} up to its first '/'} */
    public String agentId() {
        int slash = id.indexOf('/');
        return slash < 0 ? id : id.substring(0, slash);
    }

    /**
     * Parses an agent address.
     *
     * @throws IllegalArgumentException naming the text and the expected forms if it is none of them
     */
    public static AgentAddress parse(String text) {
        Objects.requireNonNull(text, "text");
        String expected = " (expected: tcp://host:port/<id>, ipc://[<socket path>]/<id> or local://<queue>/<id>)";
        try {
            if (text.startsWith("ipc://[")) {
                int close = text.indexOf("]/", 7);
                if (close > 7) {
                    return new AgentAddress(Address.unix(Path.of(text.substring(7, close))), text.substring(close + 2));
                }
            } else if (text.startsWith("ipc://")) {
                int slash = text.lastIndexOf('/'); // an unbracketed socket path has slashes of its own
                if (slash > 6) {
                    return new AgentAddress(Address.parse(text.substring(0, slash)), text.substring(slash + 1));
                }
            } else if (text.startsWith("tcp://") || text.startsWith("local://")) {
                int authority = text.indexOf("://") + 3;
                int slash = text.indexOf('/', authority);
                if (slash > authority) {
                    return new AgentAddress(container(text.substring(0, slash), authority), text.substring(slash + 1));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed agent address: \"" + text + "\"" + expected, e);
        }
        throw new IllegalArgumentException("malformed agent address: \"" + text + "\"" + expected);
    }

    /** {@return the container address {@code base}; a TCP host with colons and no brackets is IPv6, as aiomas writes it} */
    private static Address container(String base, int authority) {
        String hostPort = base.substring(authority);
        if (base.startsWith("tcp://") && !hostPort.startsWith("[") && hostPort.indexOf(':') != hostPort.lastIndexOf(':')) {
            int colon = hostPort.lastIndexOf(':');
            return Address.parse("tcp://[" + hostPort.substring(0, colon) + "]" + hostPort.substring(colon));
        }
        return Address.parse(base);
    }

    /** {@return the text form of a container's address, as the prefix of its agents' addresses} */
    static String containerText(Address container) {
        return container instanceof Address.Unix u ? "ipc://[" + u.path() + "]" : container.toString();
    }

    @Override
    public String toString() {
        return containerText(container) + "/" + id;
    }
}
