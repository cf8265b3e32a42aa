package io.loomas.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The result of an operation that completes later: a value, a failure, or cancellation.
 *
 * <p>Two kinds exist: a {@link Promise}, completed by whoever holds it (a socket reader handing in
 * a reply, a timer), and a {@link Task}, completed by its own body. Awaiting a future from a task
 * is a scheduling point: the task gives up its loop until the future completes. Awaiting from a
 * thread outside any loop (a {@code main} method, a test) blocks that thread.
 *
 * <p><b>How a wait ends.</b> A caller of {@link #await()} or {@link #await(Duration)} waits until
 * one of these happens: the future completes (with a value, a failure or by cancellation, which
 * {@code await} returns or throws);
 * the calling task is cancelled ({@link CancelledException}, delivered once: a cancellation not
 * yet delivered fails the call at once, even if it need not wait, and after it the task may wait
 * again, for its cleanup); a timed wait's timeout passes on the caller's clock
 * ({@link TimeoutException}; the loop's clock for a task, so virtual or external time for a
 * simulation or a co-simulation; the system clock for other threads); or a thread outside any loop
 * is interrupted ({@link CancelledException} whose cause is the {@link InterruptedException}, with
 * the interrupt status cleared). A task's own thread is not stopped by an interrupt: it keeps the
 * interrupt for after the wait.
 * A timeout or the caller's cancellation leaves the future as it is: it does not cancel it.
 *
 * <p>Thread-safe. Memory consistency effects: actions before completing a future
 * <i>happen-before</i> actions after {@link #await()} returns or a callback runs.
 *
 * @param <T> the type of the value
 */
public abstract sealed class Future<T> permits Promise, Task {

    /** The states a future goes through: {@code PENDING}, then exactly one of the other three. */
    public enum State {
        /** Not completed yet. */
        PENDING,
        /** Completed with a value. */
        SUCCEEDED,
        /** Completed with a failure. */
        FAILED,
        /** Cancelled. */
        CANCELLED
    }

    private volatile State state = State.PENDING;
    private T value;
    private Throwable failure;
    private List<Object> listeners; // Waiters and callbacks; guarded by this, null once completed
    private volatile boolean retrieved;

    Future() {}

    /** {@return the current state} */
    public final State state() {
        return state;
    }

    /** {@return whether the future has completed, in any way} */
    public final boolean isDone() {
        return state != State.PENDING;
    }

    /** {@return whether the future was cancelled} */
    public final boolean isCancelled() {
        return state == State.CANCELLED;
    }

    /** {@return whether the future completed with a failure (cancellation is not a failure)} */
    public final boolean isFailed() {
        return state == State.FAILED;
    }

    /**
     * Waits until the future completes and returns its value. A scheduling point.
     *
     * <p>The calling task gives up its loop until one of these happens: the future completes, or
     * the calling task is cancelled. If the future is already complete the task goes on at once.
     *
     * @return the value
     * @throws CancelledException if the future was cancelled, or the calling task was cancelled
     * @throws RuntimeException the future's failure itself, if it is unchecked
     * @throws CompletionException wrapping the future's failure, if it is a checked exception
     */
    public final T await() {
        if (isDone()) {
            Waiter.checkCancelled();
        } else {
            Waiter w = Waiter.forCurrentThread();
            if (addListener(w)) {
                try {
                    w.park();
                } finally {
                    removeListener(w);
                }
            }
        }
        return report();
    }

    /**
     * Waits at most {@code timeout} (on the calling task's loop clock) for the future to complete
     * and returns its value. A scheduling point. A timeout does not cancel the future.
     *
     * @throws TimeoutException if the future is still pending when the time is up
     * @throws CancelledException if the future was cancelled, or the calling task was cancelled
     * @throws RuntimeException the future's failure itself, if it is unchecked
     * @throws CompletionException wrapping the future's failure, if it is a checked exception
     */
    public final T await(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (isDone()) {
            Waiter.checkCancelled();
            return report();
        }
        Waiter w = Waiter.forCurrentThread();
        if (addListener(w)) {
            Clock clock = Waiter.currentClock();
            boolean woken;
            try {
                woken = w.park(clock, clock.now().plus(timeout));
            } finally {
                removeListener(w);
            }
            if (!woken && !isDone()) {
                throw new TimeoutException("timed out after " + timeout + " waiting for " + this);
            }
        }
        return report();
    }

    /**
     * Returns the value of a completed future without waiting.
     *
     * @throws IllegalStateException if the future is still pending
     * @throws CancelledException if the future was cancelled
     * @throws RuntimeException the future's failure (wrapped in {@link CompletionException} if checked)
     */
    public final T result() {
        checkDone();
        return report();
    }

    /**
     * Returns the failure of a completed future without waiting; this counts as looking at it.
     *
     * @return the failure; {@code null} if the future succeeded; a {@link CancelledException} if it
     *     was cancelled
     * @throws IllegalStateException if the future is still pending
     */
    public final Throwable exception() {
        checkDone();
        markRetrieved();
        return state == State.CANCELLED ? cancelledException() : failure;
    }

    /**
     * Registers a callback that runs once the future completes (at once if it already has).
     *
     * <p>The callback runs on the thread that completes the future, which may be a socket reader or
     * a timer thread: keep it short, non-blocking and thread-safe. To run loop code when a future
     * completes, spawn a task that awaits it. Registering a callback counts as looking at the
     * future's failure; for bookkeeping that must not hide a failure, use {@link #whenDone}.
     */
    public final void onComplete(Consumer<? super Future<T>> callback) {
        Objects.requireNonNull(callback, "callback");
        markRetrieved();
        if (!addListener(callback)) {
            callback.accept(this);
        }
    }

    /**
     * Registers an action that runs once the future completes (at once if it already has), for
     * bookkeeping: removing a finished task from a registry, releasing a slot. Unlike
     * {@link #onComplete} it does not count as looking at the future's failure, so a failed task
     * that nobody else looks at is still reported to its loop's {@link ExceptionHandler}.
     *
     * <p>The action runs on the thread that completes the future; keep it short, non-blocking and
     * thread-safe. An action that throws is logged and does not stop the others.
     */
    public final void whenDone(Runnable action) {
        Objects.requireNonNull(action, "action");
        Bookkeeping b = new Bookkeeping(action);
        if (!addListener(b)) {
            b.run(this);
        }
    }

    /** A {@link #whenDone} action among the listeners: told apart from callbacks that look at the outcome. */
    private record Bookkeeping(Runnable action) {
        void run(Future<?> future) {
            try {
                action.run();
            } catch (RuntimeException | Error e) {
                org.slf4j.LoggerFactory.getLogger(Future.class).error("Completion action of {} failed", future, e);
            }
        }
    }

    /** Cancels the future; see {@link Promise#cancel()} and {@link Task#cancel()}. */
    public abstract boolean cancel();

    /**
     * {@return a future that completes with all the values, in order, once every future succeeded;
     * it fails (or is cancelled) as soon as one of them fails (or is cancelled)}
     */
    public static <T> Future<List<T>> all(Collection<? extends Future<? extends T>> futures) {
        List<Future<? extends T>> list = List.copyOf(futures);
        Promise<List<T>> all = new Promise<>();
        if (list.isEmpty()) {
            all.complete(List.of());
            return all;
        }
        AtomicInteger remaining = new AtomicInteger(list.size());
        for (Future<? extends T> f : list) {
            f.onComplete(done -> {
                switch (done.state()) {
                    case FAILED -> all.fail(done.failure);
                    case CANCELLED -> all.cancel();
                    default -> {
                        if (remaining.decrementAndGet() == 0) {
                            List<T> values = new ArrayList<>(list.size());
                            for (Future<? extends T> g : list) {
                                values.add(g.value);
                            }
                            all.complete(values);
                        }
                    }
                }
            });
        }
        return all;
    }

    /**
     * {@return a future that completes (with {@code null}) once every one of {@code futures} has
     * completed, whatever the outcome: for waiting until tasks are gone after cancelling them}
     * It does not count as looking at their failures: a task among them that failed and that nobody
     * else looks at is still reported to its loop's {@link ExceptionHandler}.
     */
    public static Future<Void> allSettled(Collection<? extends Future<?>> futures) {
        List<Future<?>> list = List.copyOf(futures);
        Promise<Void> settled = new Promise<>();
        if (list.isEmpty()) {
            settled.complete(null);
            return settled;
        }
        AtomicInteger remaining = new AtomicInteger(list.size());
        for (Future<?> f : list) {
            f.whenDone(() -> {
                if (remaining.decrementAndGet() == 0) {
                    settled.complete(null);
                }
            });
        }
        return settled;
    }

    /**
     * {@return a future that completes with the value of the first of {@code futures} to succeed;
     * it fails with the last failure if all of them fail or are cancelled}
     *
     * @throws IllegalArgumentException if {@code futures} is empty
     */
    public static <T> Future<T> any(Collection<? extends Future<? extends T>> futures) {
        List<Future<? extends T>> list = List.copyOf(futures);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("futures must not be empty (expected: at least one future)");
        }
        Promise<T> any = new Promise<>();
        AtomicInteger remaining = new AtomicInteger(list.size());
        for (Future<? extends T> f : list) {
            f.onComplete(done -> {
                if (done.state() == State.SUCCEEDED) {
                    any.complete(done.value);
                } else if (remaining.decrementAndGet() == 0) {
                    any.fail(done.state() == State.CANCELLED ? done.cancelledException() : done.failure);
                }
            });
        }
        return any;
    }

    // ---- completion, for the subclasses ----

    final boolean completeWith(State newState, T newValue, Throwable newFailure) {
        List<Object> toNotify;
        synchronized (this) {
            if (state != State.PENDING) {
                return false;
            }
            value = newValue;
            failure = newFailure;
            toNotify = listeners;
            listeners = null;
            state = newState; // volatile write publishes value and failure
        }
        if (toNotify != null) {
            for (Object listener : toNotify) {
                notifyListener(listener);
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private void notifyListener(Object listener) {
        if (listener instanceof Waiter w) {
            w.wake();
        } else if (listener instanceof Bookkeeping b) {
            b.run(this);
        } else {
            try {
                ((Consumer<? super Future<T>>) listener).accept(this);
            } catch (RuntimeException | Error e) {
                org.slf4j.LoggerFactory.getLogger(Future.class).error("Callback of {} failed", this, e);
            }
        }
    }

    private boolean addListener(Object listener) {
        synchronized (this) {
            if (state != State.PENDING) {
                return false;
            }
            if (listeners == null) {
                listeners = new ArrayList<>(2);
            }
            listeners.add(listener);
            return true;
        }
    }

    private void removeListener(Object listener) {
        synchronized (this) {
            if (listeners != null) {
                listeners.remove(listener);
            }
        }
    }

    private void checkDone() {
        if (!isDone()) {
            throw new IllegalStateException(this + " is still pending (expected: a completed future); await it first");
        }
    }

    CancelledException cancelledException() {
        return new CancelledException(this + " was cancelled");
    }

    final T report() {
        markRetrieved();
        return switch (state) {
            case SUCCEEDED -> value;
            case CANCELLED -> throw cancelledException();
            case FAILED -> {
                if (failure instanceof RuntimeException r) {
                    throw r;
                }
                if (failure instanceof Error e) {
                    throw e;
                }
                throw new CompletionException(failure);
            }
            case PENDING -> throw new IllegalStateException(this + " is still pending");
        };
    }

    /** Notes that somebody looked at the outcome, so a failure is not reported as never retrieved. */
    void markRetrieved() {
        retrieved = true;
    }

    /** {@return whether somebody looked at the outcome} */
    final boolean isRetrieved() {
        return retrieved;
    }

    /** {@return the failure, without marking it as looked at; null unless failed} */
    final Throwable failureUnobserved() {
        return failure;
    }
}
