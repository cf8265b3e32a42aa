package io.loomas.transport;

/**
 * The exception for an operation on a connection that is closed, or that closed while the
 * operation waited: closed by this side, by the peer, or after an error (the cause).
 */
public class ConnectionClosedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with the given message and cause (may be {@code null}). */
    public ConnectionClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
