package io.loomas.codec;

import java.util.Objects;

/**
 * A codec: the rules that turn a {@link Message} or a value into payload bytes and back.
 *
 * <p>Two codecs speak aiomas' bytes: {@link #json()} writes exactly what Python's
 * {@code json.dumps} writes ({@code [0, 0, ["add", [3, 4], {}]]}), and {@link #msgpack()} what
 * {@code msgpack.packb(..., use_bin_type=True)} writes. Both use the same value model.
 *
 * <h2>Encoding</h2>
 * {@code null}, {@code Boolean}, {@code String}, {@code Character} (as a string), {@code Byte},
 * {@code Short}, {@code Integer}, {@code Long}, {@code BigInteger}, {@code Float} and
 * {@code Double} (both as 64-bit floats; {@code NaN} and {@code Infinity} included),
 * {@code BigDecimal} (exact in JSON, a 64-bit float in MsgPack), {@code byte[]} (MsgPack only, as
 * bin), any {@code Collection}, object or primitive array (as arrays), any {@code Map} (JSON keys
 * are strings; number, boolean and enum keys are written as their text, as Python does; MsgPack
 * keys keep their type), enum constants (by {@code name()}), records (as a map of their
 * components in declaration order) and values of registered types (as
 * {@code {"__type__": [typeId, data]}}; registered types take precedence over all other rules).
 *
 * <h2>Decoding</h2>
 * {@code null}, {@code Boolean}, {@code Integer} (if it fits), {@code Long} (if it fits),
 * {@code BigInteger}, {@code Double} ({@code 1.0} stays a {@code Double}), {@code String},
 * {@code byte[]} (MsgPack bin), {@code ArrayList}, {@code LinkedHashMap} with {@code String} keys
 * (MsgPack keys keep their types as Python's msgpack keeps them: strings, integers, floats,
 * booleans and {@code null}), and values of registered
 * types for one-entry maps {@code {"__type__": [typeId, data]}}. RPC turns
 * these into the declared types of parameters and results, by the strict rules of
 * {@code docs/wire.md} (no truncation, no guessing).
 *
 * <p>Codecs are immutable and thread-safe; {@link #withSerializers(Serializers)} makes the
 * per-connection instance that carries a connection's registered types. Only the two codecs above
 * exist (both peers must speak the same bytes); custom types plug in through {@link Serializers}.
 */
public sealed interface Codec permits WireCodec {

    /**
     * {@return the JSON codec with no registered types}
     */
    static Codec json() {
        return WireCodec.JSON;
    }

    /**
     * {@return the MsgPack codec with no registered types}
     */
    static Codec msgpack() {
        return WireCodec.MSGPACK;
    }

    /**
     * Returns the codec called {@code name}, with no registered types.
     *
     * @param name {@code "json"} or {@code "msgpack"}
     * @return the codec; never {@code null}
     * @throws IllegalArgumentException if no codec has that name
     */
    static Codec byName(String name) {
        Objects.requireNonNull(name, "name");
        return switch (name) {
            case "json" -> json();
            case "msgpack" -> msgpack();
            default -> throw new IllegalArgumentException("unknown codec name: " + name
                    + " (expected: json or msgpack)");
        };
    }

    /**
     * {@return the codec's name: {@code "json"} or {@code "msgpack"} for the built-in codecs}
     */
    String name();

    /**
     * {@return the registered types this codec encodes and decodes; never {@code null}}
     */
    Serializers serializers();

    /**
     * Returns a codec of the same format that uses {@code serializers} instead of this codec's.
     *
     * @param serializers the registered types, in type-id order
     * @return the new codec; never {@code null}
     */
    Codec withSerializers(Serializers serializers);

    /**
     * Encodes {@code value} into a payload.
     *
     * @param value the value; may be {@code null}
     * @return the payload bytes; never {@code null}
     * @throws CodecException if {@code value} or a value inside it cannot be encoded, naming its
     *     type, or a registered encoder fails
     */
    byte[] encode(Object value);

    /**
     * Decodes a payload that holds exactly one value.
     *
     * @param data the payload
     * @return the value; may be {@code null}
     * @throws CodecException if the payload is malformed, truncated, has trailing bytes or holds
     *     an unknown {@code __type__} id, or a registered decoder fails
     */
    default Object decode(byte[] data) {
        return decode(data, 0, data.length);
    }

    /**
     * Decodes the payload in {@code length} bytes of {@code data} starting at {@code offset}.
     *
     * @param data the buffer holding the payload
     * @param offset where the payload starts
     * @param length the payload's size in bytes
     * @return the value; may be {@code null}
     * @throws IndexOutOfBoundsException if the range is not within {@code data}
     * @throws CodecException if the payload is malformed, truncated, has trailing bytes or holds
     *     an unknown {@code __type__} id, or a registered decoder fails
     */
    Object decode(byte[] data, int offset, int length);

    /**
     * Encodes {@code message} as the wire envelope {@code [type, id, content]}.
     *
     * @param message the message
     * @return the payload bytes (without the frame's length header); never {@code null}
     * @throws CodecException if the content cannot be encoded
     */
    byte[] encodeMessage(Message message);

    /**
     * Decodes a payload that holds exactly one wire envelope {@code [type, id, content]}.
     *
     * @param data the payload
     * @return the message; never {@code null}
     * @throws CodecException if the payload is not a 3-element array of a known type code, an
     *     integer id and a content (a string for failures), or is malformed as for
     *     {@link #decode(byte[], int, int)}
     */
    default Message decodeMessage(byte[] data) {
        return decodeMessage(data, 0, data.length);
    }

    /**
     * Decodes the envelope in {@code length} bytes of {@code data} starting at {@code offset}.
     *
     * @param data the buffer holding the payload
     * @param offset where the payload starts
     * @param length the payload's size in bytes
     * @return the message; never {@code null}
     * @throws IndexOutOfBoundsException if the range is not within {@code data}
     * @throws CodecException if the payload is not a 3-element array of a known type code, an
     *     integer id and a content (a string for failures), or is malformed as for
     *     {@link #decode(byte[], int, int)}
     */
    Message decodeMessage(byte[] data, int offset, int length);
}
