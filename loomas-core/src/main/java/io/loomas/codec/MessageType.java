package io.loomas.codec;

/**
 * The kind of a wire message: the first element of the {@code [type, id, content]} envelope.
 *
 * <p>Immutable and thread-safe.
 */
public enum MessageType {

    /** A request; the content is anything (for RPC {@code [path, args, kwargs]}). */
    REQUEST(0),
    /** A success reply; the content is the return value ({@code null} for none). */
    RESULT(1),
    /** A failure reply; the content is the remote stack trace as text. */
    FAILURE(2);

    private static final MessageType[] BY_CODE = values();

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    /**
     * {@return the number that stands for this type on the wire: 0, 1 or 2}
     */
    public int code() {
        return code;
    }

    /**
     * Returns the type that {@code code} stands for on the wire.
     *
     * @param code the wire number
     * @return the type; never {@code null}
     * @throws CodecException if {@code code} is not 0, 1 or 2
     */
    public static MessageType fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new CodecException("unknown message type: " + code
                    + " (expected: 0 request, 1 result, 2 failure)");
        }
        return BY_CODE[code];
    }
}
