package io.loomas.codec;

import io.loomas.codec.internal.Describe;
import java.util.Objects;

/**
 * A wire message: the {@code [type, id, content]} envelope every frame carries.
 *
 * <p>Ids count 0, 1, 2, ... per connection and direction; a reply echoes its request's id. A
 * peer may number its requests with strings instead (aiomas answers any id it gets), so an id is
 * a {@link Long} or a {@link String}. The
 * content of a {@link MessageType#FAILURE} message is always a {@link String} (the remote stack
 * trace as text); other contents are any value a {@link Codec} can encode, {@code null} included.
 *
 * <p>Immutable and thread-safe as long as the content is not mutated.
 *
 * @param type the kind of message; never {@code null}
 * @param id the request id, a {@code Long} or a {@code String} (a reply echoes its request's id)
 * @param content the payload; a {@code String} for failures, otherwise any encodable value or
 *     {@code null}
 */
public record Message(MessageType type, Object id, Object content) {

    /**
     * Checks the envelope's rules.
     *
     * @throws NullPointerException if {@code type} is {@code null}
     * @throws IllegalArgumentException if {@code type} is {@code FAILURE} and {@code content} is
     *     not a {@code String}, or the id is neither a {@code Long} nor a {@code String}
     */
    public Message {
        Objects.requireNonNull(type, "type");
        if (id instanceof Integer i) {
            id = (long) i;
        }
        if (!(id instanceof Long) && !(id instanceof String)) {
            throw new IllegalArgumentException("message id is neither an integer nor a string: "
                    + Describe.value(id) + " (expected: a Long or a String)");
        }
        if (type == MessageType.FAILURE && !(content instanceof String)) {
            throw new IllegalArgumentException("failure content is not a string: "
                    + Describe.value(content) + " (expected: the remote stack trace as text)");
        }
    }

    /**
     * {@return a request message with the given id and content}
     *
     * @param id the request id
     * @param content the request content; may be {@code null}
     */
    public static Message request(long id, Object content) {
        return new Message(MessageType.REQUEST, id, content);
    }

    /**
     * {@return a success reply to request {@code id} carrying {@code value}}
     *
     * @param id the id of the request answered
     * @param value the return value; may be {@code null}
     */
    public static Message result(Object id, Object value) {
        return new Message(MessageType.RESULT, id, value);
    }

    /**
     * {@return a failure reply to request {@code id} carrying the remote stack trace as text}
     *
     * @param id the id of the request answered
     * @param stackTrace the failure text; never {@code null}
     * @throws IllegalArgumentException if {@code stackTrace} is {@code null}
     */
    public static Message failure(Object id, String stackTrace) {
        return new Message(MessageType.FAILURE, id, stackTrace);
    }
}
