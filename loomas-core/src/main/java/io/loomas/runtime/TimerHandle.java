package io.loomas.runtime;

import java.time.Duration;

/**
 * A timer scheduled on a {@link Clock}, which can be cancelled until it fires.
 *
 * <p>Thread-safe.
 */
public interface TimerHandle {

    /** {@return the clock time at which the timer fires} */
    Duration deadline();

    /**
     * Cancels the timer if it has not fired yet.
     *
     * @return {@code true} if this call stopped the timer; {@code false} if it had fired or was
     *     cancelled already
     */
    boolean cancel();

    /** {@return whether the timer was cancelled before it fired} */
    boolean isCancelled();
}
