package io.loomas.rpc;

import io.loomas.channel.ChannelOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The settings of RPC clients and servers. Immutable: each {@code withX} returns a copy with one
 * setting changed, starting from {@link #DEFAULT}.
 *
 * @param channelOptions codec (with the user's custom types), connect timeout, frame size, transport
 * @param callTimeout how long a call waits for its reply; {@code null} for no limit
 * @param onConnect called (in the connection's task) for each new connection of a server, before
 *     it serves requests; use it to keep the client and call it back
 */
public record RpcOptions(ChannelOptions channelOptions, Duration callTimeout, Consumer<RpcClient> onConnect) {

    /** Default channel options, no call timeout, no connect callback. */
    public static final RpcOptions DEFAULT = new RpcOptions(ChannelOptions.DEFAULT, null, client -> {});

    /** Checks the settings. */
    public RpcOptions {
        Objects.requireNonNull(channelOptions, "channelOptions");
        Objects.requireNonNull(onConnect, "onConnect");
        if (callTimeout != null && (callTimeout.isNegative() || callTimeout.isZero())) {
            throw new IllegalArgumentException("callTimeout must be positive: " + callTimeout
                    + " (expected: > 0, or null for no limit)");
        }
    }

    /** {@return a copy with the given channel options} */
    public RpcOptions withChannelOptions(ChannelOptions channelOptions) {
        return new RpcOptions(channelOptions, callTimeout, onConnect);
    }

    /** {@return a copy with the given call timeout ({@code null} for none)} */
    public RpcOptions withCallTimeout(Duration callTimeout) {
        return new RpcOptions(channelOptions, callTimeout, onConnect);
    }

    /** {@return a copy with the given connect callback} */
    public RpcOptions withOnConnect(Consumer<RpcClient> onConnect) {
        return new RpcOptions(channelOptions, callTimeout, onConnect);
    }
}
