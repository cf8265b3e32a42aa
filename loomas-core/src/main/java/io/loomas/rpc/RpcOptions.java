package io.loomas.rpc;

import io.loomas.channel.ChannelOptions;
import java.time.Duration;
import java.util.List;
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
 * @param maxConcurrentCalls how many of the peer's calls may run at once on one connection; beyond
 *     it, this side stops reading that peer's requests until one ends, so a peer that calls faster
 *     than it is served slows down (its sends wait) instead of this side's memory growing
 */
public record RpcOptions(ChannelOptions channelOptions, Duration callTimeout, Consumer<RpcConnection> onConnect,
        int maxConcurrentCalls, List<CallInterceptor> interceptors) {

    /** The default limit of concurrent incoming calls per connection. */
    public static final int DEFAULT_MAX_CONCURRENT_CALLS = 1000;

    /** Default channel options, no call timeout, no connect callback, 1000 concurrent calls per connection. */
    public static final RpcOptions DEFAULT =
            new RpcOptions(ChannelOptions.DEFAULT, null, client -> {}, DEFAULT_MAX_CONCURRENT_CALLS, List.of());

    /** Checks the settings. */
    public RpcOptions {
        Objects.requireNonNull(channelOptions, "channelOptions");
        Objects.requireNonNull(onConnect, "onConnect");
        interceptors = List.copyOf(interceptors);
        if (callTimeout != null && (callTimeout.isNegative() || callTimeout.isZero())) {
            throw new IllegalArgumentException("callTimeout must be positive: " + callTimeout
                    + " (expected: > 0, or null for no limit)");
        }
        if (maxConcurrentCalls <= 0) {
            throw new IllegalArgumentException("maxConcurrentCalls must be positive: " + maxConcurrentCalls
                    + " (expected: > 0)");
        }
    }

    /** {@return a copy with the given channel options} */
    public RpcOptions withChannelOptions(ChannelOptions channelOptions) {
        return new RpcOptions(channelOptions, callTimeout, onConnect, maxConcurrentCalls, interceptors);
    }

    /**
     * {@return a copy whose failure replies carry the whole stack trace of what an exposed method
     * threw ({@code true}, the default, as aiomas does) or only its first line, {@code type:
     * message} ({@code false}: for servers facing clients that should not learn the code's insides)}
     */
    public RpcOptions withRemoteStackTraces(boolean remoteStackTraces) {
        return withChannelOptions(channelOptions.withRemoteStackTraces(remoteStackTraces));
    }

    /**
     * {@return a copy that runs {@code interceptor} on each incoming call before its exposed method,
     * after the interceptors added before it; one that throws refuses the call}
     */
    public RpcOptions withInterceptor(CallInterceptor interceptor) {
        Objects.requireNonNull(interceptor, "interceptor");
        List<CallInterceptor> all = new java.util.ArrayList<>(interceptors);
        all.add(interceptor);
        return new RpcOptions(channelOptions, callTimeout, onConnect, maxConcurrentCalls, all);
    }

    /** {@return a copy with the given call timeout ({@code null} for none)} */
    public RpcOptions withCallTimeout(Duration callTimeout) {
        return new RpcOptions(channelOptions, callTimeout, onConnect, maxConcurrentCalls, interceptors);
    }

    /** {@return a copy with the given limit of concurrent incoming calls per connection} */
    public RpcOptions withMaxConcurrentCalls(int maxConcurrentCalls) {
        return new RpcOptions(channelOptions, callTimeout, onConnect, maxConcurrentCalls, interceptors);
    }

    /** {@return a copy with the given connect callback} */
    public RpcOptions withOnConnect(Consumer<RpcConnection> onConnect) {
        return new RpcOptions(channelOptions, callTimeout, onConnect, maxConcurrentCalls, interceptors);
    }
}
