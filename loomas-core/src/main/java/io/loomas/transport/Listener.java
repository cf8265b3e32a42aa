package io.loomas.transport;

/**
 * A server socket (or local queue) that accepts connections until closed.
 *
 * <p>Implemented by each {@link Transport}, loomas' own and users'.
 *
 * <p>Thread-safe.
 */
public interface Listener extends AutoCloseable {

    /** {@return the address it listens on, with the real port if port 0 was asked for} */
    Address address();

    /** Stops accepting; connections already accepted stay open. Does nothing if already closed. */
    @Override
    void close();
}
