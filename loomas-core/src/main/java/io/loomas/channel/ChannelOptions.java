package io.loomas.channel;

import io.loomas.codec.Codec;
import io.loomas.transport.Backoff;
import io.loomas.transport.Transport;
import io.loomas.transport.TransportOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The settings of channels and channel servers. Immutable: each {@code withX} returns a copy with
 * one setting changed, starting from {@link #DEFAULT}.
 *
 * @param codec how messages become bytes; both peers must use the same codec and serializers
 * @param connectTimeout {@link Duration#ZERO} for one connect attempt; else how long to retry
 *     refused connects with back-off ({@code ChronoUnit.FOREVER.getDuration()} never gives up)
 * @param transportOptions frame size limit and write buffer
 * @param inboxCapacity how many received requests may wait for {@link Channel#recv()} before the
 *     channel stops reading from the peer
 * @param transport the transport to use, or {@code null} to pick it from the address
 * @param connectionCodec makes each connection's own codec from {@link #codec()}, for layers that
 *     register connection-bound serializers (the RPC layer's service/proxy serializer)
 * @param backoff the pauses between the retries of a refused connect within {@code connectTimeout}
 * @param remoteStackTraces whether a failure reply carries the whole stack trace, causes included
 *     (aiomas sends its traceback, and loomas does by default), or only its first line,
 *     {@code type: message} (for servers facing clients that should not learn the code's insides)
 */
public record ChannelOptions(
        Codec codec,
        Duration connectTimeout,
        TransportOptions transportOptions,
        int inboxCapacity,
        Transport transport,
        UnaryOperator<Codec> connectionCodec,
        Backoff backoff,
        boolean remoteStackTraces) {

    /**
     * JSON, one connect attempt (aiomas' back-off once a timeout is set), 64 MiB frames, 1000
     * waiting requests, transport by address, whole stack traces.
     */
    public static final ChannelOptions DEFAULT = new ChannelOptions(
            Codec.json(), Duration.ZERO, TransportOptions.DEFAULT, 1000, null, UnaryOperator.identity(), Backoff.AIOMAS, true);

    /** Checks the settings. */
    public ChannelOptions {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(transportOptions, "transportOptions");
        Objects.requireNonNull(connectionCodec, "connectionCodec");
        Objects.requireNonNull(backoff, "backoff");
        if (connectTimeout.isNegative()) {
            throw new IllegalArgumentException(
                    "connectTimeout must not be negative: " + connectTimeout + " (expected: >= 0)");
        }
        if (inboxCapacity <= 0) {
            throw new IllegalArgumentException("inboxCapacity must be positive: " + inboxCapacity + " (expected: > 0)");
        }
    }

    /** {@return a copy with the given codec} */
    public ChannelOptions withCodec(Codec codec) {
        return new ChannelOptions(codec, connectTimeout, transportOptions, inboxCapacity, transport, connectionCodec,
                backoff, remoteStackTraces);
    }

    /** {@return a copy with the given connect timeout} */
    public ChannelOptions withConnectTimeout(Duration connectTimeout) {
        return new ChannelOptions(codec, connectTimeout, transportOptions, inboxCapacity, transport, connectionCodec,
                backoff, remoteStackTraces);
    }

    /** {@return a copy with the given transport options} */
    public ChannelOptions withTransportOptions(TransportOptions transportOptions) {
        return new ChannelOptions(codec, connectTimeout, transportOptions, inboxCapacity, transport, connectionCodec,
                backoff, remoteStackTraces);
    }

    /** {@return a copy with the given maximum frame size} */
    public ChannelOptions withMaxFrameSize(int maxFrameSize) {
        return withTransportOptions(transportOptions.withMaxFrameSize(maxFrameSize));
    }

    /** {@return a copy with the given inbox capacity} */
    public ChannelOptions withInboxCapacity(int inboxCapacity) {
        return new ChannelOptions(codec, connectTimeout, transportOptions, inboxCapacity, transport, connectionCodec,
                backoff, remoteStackTraces);
    }

    /** {@return a copy whose connections derive their codec from {@link #codec()} with {@code connectionCodec}} */
    public ChannelOptions withConnectionCodec(UnaryOperator<Codec> connectionCodec) {
        return new ChannelOptions(codec, connectTimeout, transportOptions, inboxCapacity, transport, connectionCodec,
                backoff, remoteStackTraces);
    }

    /** {@return a copy that uses the given transport for every address} */
    public ChannelOptions withTransport(Transport transport) {
        return new ChannelOptions(codec, connectTimeout, transportOptions, inboxCapacity, transport, connectionCodec,
                backoff, remoteStackTraces);
    }

    /**
     * {@return a copy whose failure replies carry the whole stack trace ({@code true}, the default,
     * as aiomas does) or only its first line, {@code type: message} ({@code false})}
     */
    public ChannelOptions withRemoteStackTraces(boolean remoteStackTraces) {
        return new ChannelOptions(codec, connectTimeout, transportOptions, inboxCapacity, transport, connectionCodec,
                backoff, remoteStackTraces);
    }

    /** {@return a copy whose connects wait {@code backoff}'s pauses between retries (see {@link Backoff})} */
    public ChannelOptions withBackoff(Backoff backoff) {
        return new ChannelOptions(codec, connectTimeout, transportOptions, inboxCapacity, transport, connectionCodec,
                backoff, remoteStackTraces);
    }
}
