package io.loomas.transport;

/**
 * The exception for a peer that broke the protocol: an oversized, truncated or undecodable frame,
 * a reply nobody asked for. It closes that one connection; its message names what was wrong.
 */
public class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with the given message. */
    public ProtocolException(String message) {
        super(message);
    }

    /** Creates an exception with the given message and cause. */
    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
