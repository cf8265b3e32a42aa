package io.loomas.channel;

import io.loomas.codec.CodecException;
import io.loomas.transport.ProtocolException;
import io.loomas.codec.MessageType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request received on a {@link Channel}, to be answered exactly once with {@link #reply} or
 * {@link #fail}.
 *
 * <p>Thread-safe.
 */
public final class Request {
    private static final Logger log = LoggerFactory.getLogger(Request.class);

    private final Channel channel;
    private final Object id;
    private final Object content;
    private final AtomicBoolean answered = new AtomicBoolean();
    /** Whether the request took room in its channel's inbox, to give back when received. */
    boolean holdsInboxRoom;

    Request(Channel channel, Object id, Object content) {
        this.channel = channel;
        this.id = id;
        this.content = content;
    }

    /** {@return the request's content as decoded: maps, lists, strings, numbers, registered types} */
    public Object content() {
        return content;
    }

    /** {@return the request's id on its channel: a {@code Long}, or a {@code String} if the peer numbers its requests so} */
    public Object id() {
        return id;
    }

    /** {@return the channel it came on} */
    public Channel channel() {
        return channel;
    }

    /**
     * Answers with {@code value}. If the value cannot be encoded, the peer gets a failure reply
     * naming the problem instead (and it is logged here).
     *
     * @throws IllegalStateException if the request was answered already
     * @throws io.loomas.transport.ConnectionClosedException if the channel is closed
     */
    public void reply(Object value) {
        markAnswered();
        try {
            channel.sendReply(id, MessageType.RESULT, value);
        } catch (CodecException e) {
            log.warn("Reply to request {} from {} cannot be encoded; sending a failure instead: {}",
                    id, channel.peerAddress(), e.getMessage());
            channel.sendReply(id, MessageType.FAILURE, channel.failureText(e));
        } catch (ProtocolException e) { // larger than the maximum frame size: nothing was queued
            log.warn("Reply to request {} from {} cannot be sent; sending a failure instead: {}",
                    id, channel.peerAddress(), e.getMessage());
            channel.sendReply(id, MessageType.FAILURE, channel.failureText(
                    new ProtocolException("the reply to request " + id + " cannot be sent: " + e.getMessage(), null)));
        }
    }

    /**
     * Answers with a failure: the peer's sender gets a {@link RemoteException} with this
     * exception's type, message and stack trace (only its first line, {@code type: message}, on a
     * channel with {@link ChannelOptions#withRemoteStackTraces remote stack traces} off).
     *
     * @throws IllegalStateException if the request was answered already
     * @throws io.loomas.transport.ConnectionClosedException if the channel is closed
     */
    public void fail(Throwable error) {
        Objects.requireNonNull(error, "error");
        markAnswered();
        try {
            channel.sendReply(id, MessageType.FAILURE, channel.failureText(error));
        } catch (ProtocolException e) { // a stack trace larger than the maximum frame size: send its first line
            log.warn("Failure reply to request {} from {} is too large; sending its first line only: {}",
                    id, channel.peerAddress(), e.getMessage());
            String firstLine = error.getClass().getName() + ": " + error.getMessage();
            int max = 1024;
            channel.sendReply(id, MessageType.FAILURE, (firstLine.length() > max ? firstLine.substring(0, max) + "..." : firstLine)
                    + "\n\t(stack trace left out: " + e.getMessage() + ")");
        }
    }

    /** {@return whether the request was answered} */
    public boolean isAnswered() {
        return answered.get();
    }

    private void markAnswered() {
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("request " + id + " from " + channel.peerAddress()
                    + " was answered already (expected: one reply or failure per request)");
        }
        channel.requestAnswered();
    }

    /** {@return a failure's first line alone, as Java prints it: "type: message", or "type" without a message} */
    static String firstLine(Throwable error) {
        return error.getMessage() == null ? error.getClass().getName() : error.getClass().getName() + ": " + error.getMessage();
    }

    /** {@return the text sent for a failure: the stack trace, first line "type: message"} */
    static String stackTrace(Throwable error) {
        StringWriter out = new StringWriter();
        error.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    @Override
    public String toString() {
        return "Request " + id + " from " + channel.peerAddress() + ": " + content;
    }
}
