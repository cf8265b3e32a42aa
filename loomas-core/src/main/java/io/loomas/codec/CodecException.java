package io.loomas.codec;

import java.io.Serial;

/**
 * An error raised while encoding, decoding or converting a value.
 *
 * <p>The message names the value or type at fault, the rule it broke and, where there is one, the
 * remedy, for example {@code cannot convert 3.5 (Double) to int (expected: a whole number in int
 * range)}. Errors raised by the underlying parser are wrapped and kept as the cause.
 *
 * <p>Immutable once thrown.
 */
public class CodecException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with the given message.
     *
     * @param message what went wrong; never {@code null}
     */
    public CodecException(String message) {
        super(message);
    }

    /**
     * Creates an exception with the given message and cause.
     *
     * @param message what went wrong; never {@code null}
     * @param cause the lower-level error, for example a parser exception; may be {@code null}
     */
    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
