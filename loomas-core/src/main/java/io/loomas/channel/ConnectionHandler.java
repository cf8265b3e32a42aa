package io.loomas.channel;

/**
 * Serves one accepted connection: called with its channel, as a new task of the server's loop.
 *
 * <p>The channel stays open when the handler returns (it may hand the channel to other tasks);
 * close it when done. A handler that throws has its failure reported to the loop's exception
 * handler and its channel closed.
 */
@FunctionalInterface
public interface ConnectionHandler {

    /** Serves the connection. */
    void handle(Channel channel) throws Exception;
}
