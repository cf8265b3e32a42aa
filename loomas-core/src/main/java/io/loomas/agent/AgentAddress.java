package io.loomas.agent;

import io.loomas.transport.Address;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The address of an agent: its container's address and its id, as text {@code tcp://host:port/<id>},
 * {@code ipc://[<socket path>]/<id>} or {@code local://<queue>/<id>}.
 *
 * @param container where the agent's container listens
 * @param id the agent's id in its container ("0", "1", ...)
 */
public record AgentAddress(Address container, String id) {

    /** Checks the parts. */
    public AgentAddress {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(id, "id");
        if (id.isEmpty() || id.indexOf('/') >= 0) {
            throw new IllegalArgumentException("agent id must be non-empty and without '/': \"" + id + "\"");
        }
    }

    /**
     * Parses an agent address.
     *
     * @throws IllegalArgumentException naming the text and the expected forms if it is none of them
     */
    public static AgentAddress parse(String text) {
        Objects.requireNonNull(text, "text");
        String expected = " (expected: tcp://host:port/<id>, ipc://[<socket path>]/<id> or local://<queue>/<id>)";
        int slash = text.lastIndexOf('/');
        if (slash < 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("malformed agent address: \"" + text + "\"" + expected);
        }
        String base = text.substring(0, slash);
        String id = text.substring(slash + 1);
        Address container;
        try {
            if (base.startsWith("ipc://[") && base.endsWith("]")) {
                container = Address.unix(Path.of(base.substring(7, base.length() - 1)));
            } else {
                container = Address.parse(base);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed agent address: \"" + text + "\"" + expected, e);
        }
        return new AgentAddress(container, id);
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
