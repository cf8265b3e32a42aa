package io.loomas.sim;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * How long a simulated message takes from sender to receiver: a distribution sampled with the
 * simulation's seeded random source. The factories' results describe themselves in
 * {@code toString()}, which the trace shows.
 */
@FunctionalInterface
public interface Latency {

    /** {@return one delay, never negative} */
    Duration sample(RandomGenerator random);

    /** {@return always {@code delay}} */
    static Latency fixed(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        return named("fixed(" + delay + ")", r -> delay);
    }

    /** {@return a delay between {@code min} and {@code max}, uniformly} */
    static Latency uniform(Duration min, Duration max) {
        long lo = min.toNanos();
        long hi = max.toNanos();
        if (lo < 0 || hi < lo) {
            throw new IllegalArgumentException("latency range must be 0 <= min <= max: " + min + ".." + max);
        }
        return named("uniform(" + min + ", " + max + ")", r -> Duration.ofNanos(lo == hi ? lo : r.nextLong(lo, hi + 1)));
    }

    /** {@return an exponentially distributed delay with the given mean (many fast, a few slow)} */
    static Latency exponential(Duration mean) {
        double m = mean.toNanos();
        return named("exponential(" + mean + ")", r -> Duration.ofNanos((long) (-m * Math.log(1 - r.nextDouble()))));
    }

    /**
     * {@return a long-tailed delay: usually {@code typical}, with probability {@code tailChance} up to
     * {@code tail} longer}
     */
    static Latency longTail(Duration typical, double tailChance, Duration tail) {
        return named("longTail(" + typical + ", " + tailChance + ", " + tail + ")", r -> r.nextDouble() < tailChance
                ? typical.plus(Duration.ofNanos(r.nextLong(tail.toNanos() + 1)))
                : typical);
    }

    private static Latency named(String description, Function<RandomGenerator, Duration> sampler) {
        return new Latency() {
            @Override
            public Duration sample(RandomGenerator random) {
                return sampler.apply(random);
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }
}
