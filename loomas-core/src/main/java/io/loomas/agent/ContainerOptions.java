package io.loomas.agent;

import io.loomas.channel.ChannelOptions;
import io.loomas.codec.Codec;
import io.loomas.runtime.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The settings of a {@link Container}. Immutable: each {@code withX} returns a copy with one setting
 * changed, starting from {@link #DEFAULT}.
 *
 * @param channelOptions codec (its serializers are the user's custom types, registered on every
 *     container connection after the date-time serializer), frame size, transport (e.g. TLS)
 * @param clock the agents' clock; {@code null} for the loop's clock
 * @param connectTimeout how long {@link Container#connect} retries a refused connect
 * @param callTimeout how long a call to another agent waits; {@code null} for no limit
 * @param random the agents' source of randomness; {@code null} for a fresh, randomly seeded one per
 *     container (a simulation passes a seeded one per node)
 * @param maxConcurrentCalls how many of a peer's calls may run at once on one connection (see
 *     {@link io.loomas.rpc.RpcOptions#maxConcurrentCalls()})
 * @param interceptors run on each call of a peer to this container's agents, before the agent's
 *     method, in order (see {@link io.loomas.rpc.CallInterceptor})
 */
public record ContainerOptions(ChannelOptions channelOptions, Clock clock, Duration connectTimeout,
        Duration callTimeout, RandomGenerator random, int maxConcurrentCalls,
        java.util.List<io.loomas.rpc.CallInterceptor> interceptors) {

    /**
     * Default channel options (JSON), the loop's clock, 10 s connect timeout, no call timeout, own
     * random, 1000 concurrent calls per connection.
     */
    public static final ContainerOptions DEFAULT = new ContainerOptions(ChannelOptions.DEFAULT, null,
            Duration.ofSeconds(10), null, null, io.loomas.rpc.RpcOptions.DEFAULT_MAX_CONCURRENT_CALLS, java.util.List.of());

    /** Checks the settings. */
    public ContainerOptions {
        Objects.requireNonNull(channelOptions, "channelOptions");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        interceptors = java.util.List.copyOf(interceptors);
        if (maxConcurrentCalls <= 0) {
            throw new IllegalArgumentException("maxConcurrentCalls must be positive: " + maxConcurrentCalls
                    + " (expected: > 0)");
        }
    }

    /** {@return a copy with the given channel options} */
    public ContainerOptions withChannelOptions(ChannelOptions channelOptions) {
        return new ContainerOptions(channelOptions, clock, connectTimeout, callTimeout, random, maxConcurrentCalls,
                interceptors);
    }

    /** {@return a copy with the given codec (and its serializers)} */
    public ContainerOptions withCodec(Codec codec) {
        return withChannelOptions(channelOptions.withCodec(codec));
    }

    /** {@return a copy with the given clock} */
    public ContainerOptions withClock(Clock clock) {
        return new ContainerOptions(channelOptions, clock, connectTimeout, callTimeout, random, maxConcurrentCalls,
                interceptors);
    }

    /** {@return a copy with the given connect timeout} */
    public ContainerOptions withConnectTimeout(Duration connectTimeout) {
        return new ContainerOptions(channelOptions, clock, connectTimeout, callTimeout, random, maxConcurrentCalls,
                interceptors);
    }

    /** {@return a copy with the given source of randomness ({@code null} for a fresh one per container)} */
    public ContainerOptions withRandom(RandomGenerator random) {
        return new ContainerOptions(channelOptions, clock, connectTimeout, callTimeout, random, maxConcurrentCalls,
                interceptors);
    }

    /** {@return a copy with the given limit of concurrent incoming calls per connection} */
    public ContainerOptions withMaxConcurrentCalls(int maxConcurrentCalls) {
        return new ContainerOptions(channelOptions, clock, connectTimeout, callTimeout, random, maxConcurrentCalls,
                interceptors);
    }

    /** {@return a copy with the given call timeout ({@code null} for none)} */
    public ContainerOptions withCallTimeout(Duration callTimeout) {
        return new ContainerOptions(channelOptions, clock, connectTimeout, callTimeout, random, maxConcurrentCalls,
                interceptors);
    }

    /**
     * {@return a copy that runs {@code interceptor} on each call of a peer to this container: to its
     * agents ({@code "agents/0/service"}) and to its own service ({@code "validate_aid"}, which a
     * connecting peer calls first), after those added before; one that throws refuses the call}
     */
    public ContainerOptions withInterceptor(io.loomas.rpc.CallInterceptor interceptor) {
        Objects.requireNonNull(interceptor, "interceptor");
        java.util.List<io.loomas.rpc.CallInterceptor> all = new java.util.ArrayList<>(interceptors);
        all.add(interceptor);
        return new ContainerOptions(channelOptions, clock, connectTimeout, callTimeout, random, maxConcurrentCalls, all);
    }
}
