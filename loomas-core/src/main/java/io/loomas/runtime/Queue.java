package io.loomas.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A first-in-first-out queue whose blocking operations are scheduling points: a task waiting in
 * {@link #take()} or in {@link #put} on a full queue gives its loop to other tasks.
 *
 * <p>The queue is unbounded unless created with a capacity. Elements must not be {@code null}.
 *
 * <p><b>How a wait ends.</b> A caller of {@link #take()} or {@link #take(Duration)} waits until one
 * of these happens: an element is there and the caller removes it (elements leave in the order
 * they came; waiters are woken in arrival order); a caller of {@link #put} on a full queue, until
 * there is room and its element is added; or
 * the calling task is cancelled ({@link CancelledException}, delivered once: a cancellation not
 * yet delivered fails the call at once, even if it need not wait, and after it the task may wait
 * again, for its cleanup); a timed wait's timeout passes on the caller's clock
 * ({@link TimeoutException}; the loop's clock for a task, so virtual or external time for a
 * simulation or a co-simulation; the system clock for other threads); or a thread outside any loop
 * is interrupted ({@link CancelledException} whose cause is the {@link InterruptedException}, with
 * the interrupt status cleared). A task's own thread is not stopped by an interrupt: it keeps the
 * interrupt for after the wait.
 * A taker that fails removes nothing; a putter that fails adds nothing.
 *
 * <p>Memory consistency effects: actions before putting an element <i>happen-before</i> actions
 * after that element is taken, in another task or thread.
 *
 * <p>Thread-safe: threads outside any loop (a socket reader, a timer) may put and take too; they
 * block instead of yielding.
 *
 * @param <T> the type of the elements
 */
public final class Queue<T> {
    private final ReentrantLock lock = new ReentrantLock();
    private final WaitList notEmpty = new WaitList(lock);
    private final WaitList notFull = new WaitList(lock);
    private final ArrayDeque<T> items = new ArrayDeque<>();
    private final int capacity;

    /** Creates an unbounded queue. */
    public Queue() {
        this.capacity = Integer.MAX_VALUE;
    }

    /**
     * Creates a queue that holds at most {@code capacity} elements.
     *
     * @throws IllegalArgumentException if {@code capacity} is not positive
     */
    public Queue(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity + " (expected: > 0)");
        }
        this.capacity = capacity;
    }

    /**
     * Adds {@code item}, waiting for room if the queue is full. A scheduling point when it waits.
     *
     * @throws CancelledException if the calling task is cancelled while waiting
     */
    public void put(T item) {
        Objects.requireNonNull(item, "item");
        notFull.await(() -> insert(item) ? Boolean.TRUE : null, null, () -> "room in " + this);
    }

    /** {@return whether {@code item} was added: it is, if there is room} Does not wait. */
    public boolean offer(T item) {
        Objects.requireNonNull(item, "item");
        lock.lock();
        try {
            return insert(item);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes and returns the first element, waiting until there is one. A scheduling point.
     *
     * @throws CancelledException if the calling task is cancelled while waiting
     */
    public T take() {
        return notEmpty.await(this::remove, null, () -> "an element of " + this);
    }

    /**
     * Removes and returns the first element, waiting at most {@code timeout} on the caller's clock.
     *
     * @throws TimeoutException if the queue stays empty that long
     * @throws CancelledException if the calling task is cancelled while waiting
     */
    public T take(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return notEmpty.await(this::remove, timeout, () -> "an element of " + this);
    }

    /** {@return the first element, removed, or {@code null} if the queue is empty} */
    public T poll() {
        lock.lock();
        try {
            return remove();
        } finally {
            lock.unlock();
        }
    }

    /** {@return the number of elements} */
    public int size() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    /** {@return whether the queue is empty} */
    public boolean isEmpty() {
        return size() == 0;
    }

    /** {@return the most elements the queue holds} */
    public int capacity() {
        return capacity;
    }

    private boolean insert(T item) {
        if (items.size() >= capacity) {
            return false;
        }
        items.addLast(item);
        notEmpty.signalOne();
        return true;
    }

    private T remove() {
        T item = items.pollFirst();
        if (item != null) {
            notFull.signalOne();
        }
        return item;
    }

    @Override
    public String toString() {
        return "Queue[size=" + size() + (capacity == Integer.MAX_VALUE ? "" : ", capacity=" + capacity) + "]";
    }
}
