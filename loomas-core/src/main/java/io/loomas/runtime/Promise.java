package io.loomas.runtime;

import java.util.Objects;

/**
 * A future that whoever holds it completes: with a value, a failure, or by cancelling it.
 *
 * <p>Promises hand results from outside a loop into it: a socket reader completes the promise of
 * a pending call, and the task that awaits it becomes ready. Only the first completion counts.
 *
 * <p>Thread-safe: any thread may complete a promise.
 *
 * @param <T> the type of the value
 */
public final class Promise<T> extends Future<T> {

    /** Creates a pending promise. */
    public Promise() {}

    /**
     * Completes the promise with {@code value} (which may be {@code null}).
     *
     * @return {@code true} if this call completed it; {@code false} if it was already complete
     */
    public boolean complete(T value) {
        return completeWith(State.SUCCEEDED, value, null);
    }

    /**
     * Completes the promise with a failure.
     *
     * @return {@code true} if this call completed it; {@code false} if it was already complete
     */
    public boolean fail(Throwable failure) {
        Objects.requireNonNull(failure, "failure");
        if (failure instanceof CancelledException) {
            return cancel();
        }
        return completeWith(State.FAILED, null, failure);
    }

    /**
     * Cancels the promise: its awaiters get a {@link CancelledException}.
     *
     * @return {@code true} if this call cancelled it; {@code false} if it was already complete
     */
    @Override
    public boolean cancel() {
        return completeWith(State.CANCELLED, null, null);
    }

    @Override
    public String toString() {
        // No identity hash: this text reaches logs and a simulation's trace, which must be equal for equal seeds.
        return "Promise[" + state() + "]";
    }
}
