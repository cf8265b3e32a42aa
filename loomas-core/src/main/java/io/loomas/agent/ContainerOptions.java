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
 */
public record ContainerOptions(ChannelOptions channelOptions, Clock clock, Duration connectTimeout,
        Duration callTimeout, RandomGenerator random, int maxConcurrentCalls) {

    /**
     * Default channel options (JSON), the loop's clock, 10 s connect timeout, no call timeout, own
     * random, 1000 concurrent calls per connection.
     */
    public static final ContainerOptions DEFAULT = new ContainerOptions(ChannelOptions.DEFAULT, null,
            Duration.ofSeconds(10), null, null, io.loomas.rpc.RpcOptions.DEFAULT_MAX_CONCURRENT_CALLS);

    /** Checks the settings. */
    public ContainerOptions {
        Objects.requireNonNull(channelOptions, "channelOptions");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (maxConcurrentCalls <= 0) {
            throw new IllegalArgumentException("maxConcurrentCalls must be positive: " + maxConcurrentCalls
                    + " (expected: > 0)");
        }
    }

    /** {@return a copy with the given channel options} */
    public ContainerOptions withChannelOptions(ChannelOptions channelOptions) {
        return new ContainerOptions(channelOptions, clock, connectTimeout, callTimeout, random, maxConcurrentCalls);
    }

    /** {@return a copy with the given codec (and its serializers)} */
    public ContainerOptions withCodec(Codec codec) {
        return withChannelOptions(channelOptions.withCodec(codec));
    }

    /** {@return a copy with the given clock} */
    public ContainerOptions withClock(Clock clock) {
        return new ContainerOptions(channelOptions, clock, connectTimeout, callTimeout, random, maxConcurrentCalls);
    }

    /** {@return a copy with the given connect timeout} */
    public ContainerOptions withConnectTimeout(Duration connectTimeout) {
        return new ContainerOptions(channelOptions, clock, connectTimeout, callTimeout, random, maxConcurrentCalls);
    }

    /** {@return a copy with the given source of randomness ({@code null} for a fresh one per container)} */
    public ContainerOptions withRandom(RandomGenerator random) {
        return new ContainerOptions(channelOptions, clock, connectTimeout, callTimeout, random, maxConcurrentCalls);
    }

    /** {@return a copy with the given limit of concurrent incoming calls per connection} */
    public ContainerOptions withMaxConcurrentCalls(int maxConcurrentCalls) {
        return new ContainerOptions(channelOptions, clock, connectTimeout, callTimeout, random, maxConcurrentCalls);
    }

    /** {@return a copy with the given call timeout ({@code null} for none)} */
    public ContainerOptions withCallTimeout(Duration callTimeout) {
        return new ContainerOptions(channelOptions, clock, connectTimeout, callTimeout, random, maxConcurrentCalls);
    }
}
