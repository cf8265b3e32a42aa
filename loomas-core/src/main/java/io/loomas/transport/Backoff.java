package io.loomas.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long a connect with a timeout waits before each retry of a refused attempt
 * ({@code ChannelOptions.withBackoff}). {@link #AIOMAS} is aiomas' rule and the default; add
 * jitter where many clients reconnect to one server at once (after it restarts, say), so that
 * their retries spread out instead of arriving together.
 *
 * {@snippet class="io.loomas.snippets.ChannelSnippets" region="backoff-with-jitter"}
 *
 * <p>In a simulation, give the jitter a generator of the simulation ({@code sim.random("backoff")}),
 * so that a seed still replays.
 */
@FunctionalInterface
public interface Backoff {
    /** aiomas' rule: 0.5 s, growing by 1.5x, at most 30 s, no jitter. */
    Backoff AIOMAS = exponential(Duration.ofMillis(500), 1.5, Duration.ofSeconds(30));

    /**
     * {@return the pause before retry {@code retry} (1 for the first)}
     *
     * @param retry how many attempts have failed so far, from 1
     */
    Duration pause(int retry);

    /**
     * {@return pauses of {@code first}, then each {@code factor} times the one before, at most {@code max}}
     *
     * @throws IllegalArgumentException if {@code first} is not positive, {@code factor} is below 1, or
     *     {@code max} is below {@code first}
     */
    static Backoff exponential(Duration first, double factor, Duration max) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(max, "max");
        if (!first.isPositive() || !(factor >= 1) || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("back-off " + first + " x " + factor + " up to " + max
                    + " (expected: first > 0, factor >= 1, max >= first)");
        }
        long firstNanos = first.toNanos();
        long maxNanos = max.toNanos();
        return retry -> {
            // Step by step, cutting to whole nanoseconds each time, as aiomas' rule always has: the
            // same pauses to the nanosecond, so a simulation's seeds replay as they did.
            long nanos = firstNanos;
            for (int i = 1; i < retry && nanos < maxNanos; i++) {
                nanos = Math.min((long) (nanos * factor), maxNanos);
            }
            return Duration.ofNanos(nanos);
        };
    }

    /**
     * {@return this back-off with jitter: each pause shortened by a random part of up to {@code
     * fraction} of it (1.0 draws it uniformly between zero and this one's, the "full jitter" of the
     * AWS architecture blog; 0.5 keeps at least half)}
     *
     * @param random where the draws come from; used under a lock, so one generator may serve many
     *     connects at once
     * @throws IllegalArgumentException if {@code fraction} is not between 0 and 1
     */
    default Backoff withJitter(double fraction, RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("jitter fraction " + fraction + " (expected: 0 to 1)");
        }
        Backoff plain = this;
        return retry -> {
            Duration p = plain.pause(retry);
            double u;
            synchronized (random) {
                u = random.nextDouble();
            }
            return Duration.ofNanos(p.toNanos() - (long) (p.toNanos() * fraction * u));
        };
    }
}
