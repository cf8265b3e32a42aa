package io.loomas.runtime;

import io.loomas.runtime.internal.CurrentTask;
import io.loomas.runtime.internal.JfrEvents;
import io.loomas.runtime.internal.LogContext;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * A unit of concurrent work on a {@link Loop}: a virtual thread that runs only while it holds the
 * loop, and a {@link Future} of its body's result.
 *
 * <p>Tasks are created by {@link Loop#spawn}. A task runs until it reaches a scheduling point
 * (awaiting a future, a clock sleep, a queue take, ...), where it gives the loop to the next ready
 * task, so tasks of one loop never run at the same time and need no locks for state they share.
 *
 * <p>{@link #cancel()} makes the task's current or next scheduling point throw
 * {@link CancelledException}; a body that ends with that exception leaves the task cancelled. A
 * failure that nobody looked at (by awaiting the task, {@link #exception()}, {@link #result()} or a
 * callback) is reported to the loop's {@link ExceptionHandler} when the task is garbage-collected or
 * the loop closes, whichever comes first.
 *
 * <p>Thread-safe.
 *
 * @param <T> the type of the body's result
 */
public final class Task<T> extends Future<T> {
    /**
     * The task whose thread started the calling thread, inherited by every thread a task starts
     * (directly or through an executor), so a deterministic loop can tell such threads from its own.
     */
    private static final InheritableThreadLocal<Task<?>> STARTED_BY = new InheritableThreadLocal<>();

    // Run states; changed only under the loop's lock.
    static final int READY = 1, RUNNING = 2, WAITING = 3, DONE = 4;

    private final Loop loop;
    private final String name;
    private final Callable<T> body;
    private final Throwable creationSite;
    private final boolean detached;
    private final Object owner;
    final Thread thread;
    boolean started; // guarded by the loop's lock
    volatile int runState;
    volatile boolean cancelRequested;
    Waiter.OfTask parkedOn; // guarded by the loop's lock
    long grantedAt; // System.nanoTime() when it last got the loop; for the slow-task check
    /** Runs before it first gives up the loop inside inline work (InlineWork); only its own thread uses it. */
    Runnable beforeWaiting;
    /** What it does inline meanwhile (the call it runs), for a slow-task report; null if nothing. */
    volatile String activity;
    /** Whether it has more work queued that it does before it waits (see TurnBatching); only its own thread uses it. */
    boolean workAhead;
    private volatile UnretrievedFailure unretrieved;
    /** The spawner's logging context (SLF4J MDC), which the task starts with; null if it had none. */
    private final Map<String, String> inheritedLogContext;

    Task(Loop loop, String name, Object owner, Callable<T> body, boolean detached, Throwable creationSite) {
        this.loop = loop;
        this.owner = owner;
        this.name = name;
        this.body = body;
        this.detached = detached;
        this.creationSite = creationSite;
        this.inheritedLogContext = LogContext.capture();
        this.thread = Thread.ofVirtual().name(loop.name() + "/" + name).unstarted(this::runBody);
    }

    /**
     * {@return the task the calling thread runs}
     *
     * @throws IllegalStateException if the calling thread is not a task
     */
    public static Task<?> current() {
        Task<?> t = CurrentTask.get();
        if (t == null) {
            throw new IllegalStateException("not called from a task (thread: " + Thread.currentThread()
                    + "); run the code through Loop.run(...) or loop.spawn(...)");
        }
        return t;
    }

    /**
     * {@return the task that started the calling thread if that thread is not a task itself (a
     * platform thread, an executor's thread), else null}
     */
    static Task<?> starterOfForeignThread() {
        return CurrentTask.get() == null ? STARTED_BY.get() : null;
    }

    /** {@return the task's name, unique within its loop unless given twice by the caller} */
    public String name() {
        return name;
    }

    /**
     * {@return what the task works for (a simulated node, a container), or {@code null}: inherited
     * from the task that spawned it unless given to {@link Loop#spawn(String, Object, Callable)}}
     */
    public Object owner() {
        return owner;
    }

    /** {@return the loop the task runs on} */
    public Loop loop() {
        return loop;
    }

    /**
     * {@return where the task was created: a throwable whose stack trace is the creation site, or
     * {@code null} unless the loop is in debug mode}
     */
    public Throwable creationSite() {
        return creationSite;
    }

    /** {@return the stack of the task's thread now; empty if it has not started or has finished} */
    public StackTraceElement[] stackTrace() {
        return thread.getStackTrace();
    }

    /**
     * Requests cancellation: the task's current or next scheduling point throws
     * {@link CancelledException}. A task that has not started yet never runs its body.
     *
     * @return {@code true} if the request was made; {@code false} if the task had already completed
     */
    @Override
    public boolean cancel() {
        return loop.cancel(this);
    }

    void throwIfCancelled() {
        if (cancelRequested) {
            cancelRequested = false; // delivered once, as in asyncio, so cleanup code may await
            throw new CancelledException("task '" + name + "' was cancelled");
        }
    }

    /** {@return the name, and what the task is doing if it runs work inline: for reports} */
    String describe() {
        String a = activity;
        return a == null ? name : name + " (running " + a + ")";
    }

    /**
     * Called by the task's own thread just before it gives up the loop: its work-ahead mark ends,
     * and the hook of {@link io.loomas.runtime.internal.InlineWork} runs once if one is set. Not
     * the hook when a cancellation is pending: that wait throws instead, and the work ends there.
     */
    void beforeGivingUpLoop() {
        workAhead = false;
        Runnable hook = beforeWaiting;
        if (hook != null && !cancelRequested) {
            beforeWaiting = null;
            hook.run();
        }
    }

    private void runBody() {
        CurrentTask.set(this);
        LogContext.enterTask(inheritedLogContext, loop.name(), name);
        if (loop.isDeterministic()) {
            STARTED_BY.set(this); // only these loops refuse foreign threads: the others pay nothing
        }
        try {
            T value;
            try {
                throwIfCancelled();
                value = body.call();
            } catch (CancelledException e) {
                completeWith(State.CANCELLED, null, null);
                return;
            } catch (Throwable e) {
                failWith(e);
                return;
            }
            completeWith(State.SUCCEEDED, value, null);
        } finally {
            loop.finish(this);
        }
    }

    /**
     * Completes the task with {@code e}. Its record as a failure nobody looked at is made first: a
     * thread that sees the task done (a shutdown waiting for it) must find the record there.
     * Looking at the failure later settles the record; a detached task's failure, which nobody can
     * look at, is reported at once.
     */
    private void failWith(Throwable e) {
        UnretrievedFailure f = new UnretrievedFailure(loop, name, e, creationSite);
        if (!detached) {
            unretrieved = f;
            loop.track(this, f);
        }
        completeWith(State.FAILED, null, e);
        if (detached) {
            f.report();
        }
    }

    @Override
    void markRetrieved() {
        super.markRetrieved();
        UnretrievedFailure f = unretrieved;
        if (f != null) {
            f.retrieved();
        }
    }

    @Override
    CancelledException cancelledException() {
        return new CancelledException("task '" + name + "' was cancelled");
    }

    @Override
    public String toString() {
        return "Task '" + name + "' [" + state() + "]";
    }

    /** A failure nobody has looked at yet; reported at most once. */
    static final class UnretrievedFailure implements Runnable {
        private final Loop loop;
        private final String taskName;
        private final Throwable error;
        private final Throwable creationSite;
        private final java.util.concurrent.atomic.AtomicBoolean settled = new java.util.concurrent.atomic.AtomicBoolean();

        UnretrievedFailure(Loop loop, String taskName, Throwable error, Throwable creationSite) {
            this.loop = loop;
            this.taskName = Objects.requireNonNull(taskName);
            this.error = error;
            this.creationSite = creationSite;
        }

        void retrieved() {
            settled.set(true);
        }

        boolean isSettled() {
            return settled.get();
        }

        /** Reports the failure unless it was retrieved or reported already. */
        void report() {
            if (settled.compareAndSet(false, true)) {
                JfrEvents.UnretrievedFailure event = new JfrEvents.UnretrievedFailure();
                if (event.shouldCommit()) {
                    event.task = taskName;
                    event.failure = String.valueOf(error);
                    event.commit();
                }
                loop.handleUncaught(new UncaughtFailure(
                        "Task '" + taskName + "' failed and nobody retrieved its failure",
                        error, taskName, creationSite));
            }
        }

        /** Runs when the task became unreachable: it can never be retrieved now. */
        @Override
        public void run() {
            report();
        }
    }
}
