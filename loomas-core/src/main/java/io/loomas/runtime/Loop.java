package io.loomas.runtime;

import io.loomas.runtime.internal.CurrentTask;
import io.loomas.runtime.internal.LogContext;
import io.loomas.runtime.internal.OpenResources;
import io.loomas.runtime.internal.Telemetry;
import io.loomas.runtime.internal.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logical thread of control: runs its tasks one at a time, each until it reaches a scheduling
 * point.
 *
 * <p>Tasks are virtual threads; exactly one of them holds the loop at any moment (or none, when all
 * are waiting). A task gives the loop up only at a scheduling point: awaiting a {@link Future}, a
 * {@link Clock} sleep, {@link Queue#take()}, {@link Event#await()}, {@link Lock#lock()},
 * {@link Semaphore#acquire()}, {@link #yieldNow()}, and the channel and RPC calls built on them. It
 * hands the loop directly to the next ready task, which the loop's {@link Scheduler} picks. So code
 * between two scheduling points runs without interleaving, as in asyncio, while the code itself is
 * plain blocking Java. Blocking JDK calls that are not scheduling points ({@code Thread.sleep}, file
 * or JDBC I/O) hold the loop; run them with {@link #offload}.
 *
 * {@snippet class="io.loomas.snippets.RuntimeSnippets" region="loop"}
 *
 * <p>Thread-safe: tasks may be spawned and cancelled from any thread.
 */
public final class Loop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Loop.class);
    private static final AtomicInteger LOOP_IDS = new AtomicInteger();
    /** How long {@link #close()} lets tasks react to cancellation. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    static {
        RuntimeHooks.install();
    }

    private final String name;
    private final Clock clock;
    private final TimeSource time; // the clock as this loop drives it
    private final ExceptionHandler exceptionHandler;
    private final boolean debug;
    private final Duration slowTaskThreshold;
    private final SlowTaskHandler slowTaskHandler;
    private final boolean deterministic;

    private final ReentrantLock lock = new ReentrantLock();
    private final Scheduler scheduler; // guarded by lock
    /** Tasks in {@link #runUntilIdle()}: each gets the loop when no other task is ready. */
    private final java.util.ArrayDeque<Task<?>> idleWaiters = new java.util.ArrayDeque<>(); // guarded by lock
    private Task<?> running; // guarded by lock; holds the loop, or null when none does
    /** Deferred by tasks until no task is ready ({@link #deferWhileOthersReady}); guarded by lock. */
    private List<Runnable> whenNoneReady = new ArrayList<>();
    private long grants; // guarded by lock; turns given so far
    private long whenNoneReadySince; // guarded by lock; the turn at which the first of whenNoneReady came
    private final Set<Task<?>> live = new LinkedHashSet<>(); // guarded by lock
    private final FailureTracker failures;
    final OpenResources openResources = new OpenResources(); // what its tasks opened, for a test kit
    volatile Object attachment; // set once by the layer that made the loop (a simulation), or null
    private long taskIds; // guarded by lock
    private boolean closed; // guarded by lock
    private boolean advancing; // guarded by lock; true while an idle loop moves its clock on
    final AtomicInteger offloads = new AtomicInteger(); // offloaded work in flight: an idle clock waits for it
    private final Thread watchdog;
    private final Telemetry.LoopView telemetry; // null unless a metrics sink listened when it was made

    private Loop(LoopOptions options) {
        this.name = options.name() != null ? options.name() : "loop-" + LOOP_IDS.incrementAndGet();
        this.clock = options.clock();
        this.time = TimeSource.of(clock);
        this.exceptionHandler = options.exceptionHandler();
        this.debug = options.debug();
        this.slowTaskThreshold = options.slowTaskThreshold();
        this.slowTaskHandler = options.slowTaskHandler();
        this.deterministic = options.deterministic();
        this.failures = new FailureTracker(deterministic);
        this.scheduler = Objects.requireNonNull(options.scheduler().get(), "scheduler");
        this.watchdog = debug ? SlowTaskWatchdog.start(this, slowTaskThreshold, slowTaskHandler) : null;
        this.telemetry = Telemetry.active() ? new Gauges() : null;
        if (telemetry != null) {
            Telemetry.loopCreated(telemetry);
        }
    }

    /** The loop's queues as a metrics gauge reads them, from any thread. */
    private final class Gauges implements Telemetry.LoopView {
        @Override
        public String name() {
            return name;
        }

        @Override
        public int readyTasks() {
            lock.lock();
            try {
                return scheduler.size();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int liveTasks() {
            lock.lock();
            try {
                return live.size();
            } finally {
                lock.unlock();
            }
        }
    }

    /** {@return a new loop with default options} */
    public static Loop create() {
        return new Loop(LoopOptions.DEFAULT);
    }

    /** {@return a new loop with the given options} */
    public static Loop create(LoopOptions options) {
        return new Loop(Objects.requireNonNull(options, "options"));
    }

    /**
     * Runs {@code main} as the main task of a new loop, waits for it and closes the loop (cancelling
     * whatever tasks are left), like {@code aiomas.run}.
     *
     * @return the main task's result
     * @throws IllegalStateException if called from a task (spawn and await instead)
     * @throws RuntimeException the main task's failure (checked ones wrapped in
     *     {@link java.util.concurrent.CompletionException})
     */
    public static <T> T run(Callable<T> main) {
        return run(LoopOptions.DEFAULT, main);
    }

    /** {@link #run(Callable)} on a loop with the given options. */
    public static <T> T run(LoopOptions options, Callable<T> main) {
        if (CurrentTask.get() != null) {
            throw new IllegalStateException("Loop.run called from task '" + CurrentTask.get().name()
                    + "'; a task must not block its loop on another loop: spawn a task and await it instead");
        }
        try (Loop loop = create(options)) {
            return loop.spawn("main", main).await();
        }
    }

    /**
     * {@return the loop of the calling task}
     *
     * @throws IllegalStateException if the calling thread is not a task
     */
    public static Loop current() {
        return Task.current().loop();
    }

    /**
     * Lets the other ready tasks run before the calling task goes on. A scheduling point.
     *
     * @throws IllegalStateException if the calling thread is not a task
     * @throws CancelledException if the calling task was cancelled
     */
    public static void yieldNow() {
        Task<?> t = Task.current();
        t.throwIfCancelled();
        t.loop().requeue(t);
        t.throwIfCancelled();
    }

    /**
     * Lets every other task of the calling task's loop run until each of them waits (for a future,
     * a timer, a queue, ...); then returns. A scheduling point. This is how a test makes sure the
     * tasks it scheduled have done their work before it looks.
     *
     * @throws IllegalStateException if the calling thread is not a task
     * @throws CancelledException if the calling task was cancelled
     */
    public static void runUntilIdle() {
        Task<?> t = Task.current();
        t.throwIfCancelled();
        t.loop().awaitIdle(t);
        t.throwIfCancelled();
    }

    /**
     * Sets the running task {@code t} aside until no other task is ready, then gives it the loop
     * before the clock moves. Not a loop of yields: a scheduler that ranks tasks (PCT) would give
     * the loop back to a high-ranked {@code t} at every yield, and the others would never run.
     */
    private void awaitIdle(Task<?> t) {
        setAside(t, true);
    }

    /** {@return the loop's name} */
    public String name() {
        return name;
    }

    /** {@return the clock of the loop's tasks} */
    public Clock clock() {
        return clock;
    }

    /** {@return whether the loop runs in debug mode} */
    public boolean isDebug() {
        return debug;
    }

    /** {@return whether the loop runs a deterministic simulation (see {@link LoopOptions#deterministic()})} */
    public boolean isDeterministic() {
        return deterministic;
    }

    /**
     * On a deterministic loop, refuses a call from a thread that one of its tasks started and that
     * is not a task: that thread runs at moments no seed decides. The failure is also reported to
     * the loop, so the run fails even if the thread swallows it.
     */
    void refuseForeignThread(String verb, Task<?> target) {
        if (!deterministic) {
            return;
        }
        String what = target == null ? verb : verb + " task '" + target.name() + "'";
        Task<?> starter = Task.starterOfForeignThread();
        if (starter == null || starter.loop() != this) {
            return;
        }
        IllegalStateException e = new IllegalStateException("thread '" + Thread.currentThread().getName()
                + "' was started by task '" + starter.name() + "' and tried to " + what + " in a deterministic"
                + " simulation, where only the loop's tasks may act: a thread runs at moments no seed decides."
                + " Start the work with loop.spawn(...) instead of a thread or an executor");
        handleUncaught(new UncaughtFailure("A thread started by a task called into the simulation", e,
                starter.name(), starter.creationSite()));
        throw e;
    }

    /** {@return whether the loop is closed (it accepts no new tasks)} */
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@return the task that holds the loop at this moment, or {@code null} if none does; for
     * watchdogs and diagnostics (the answer may be stale by the time it is read)}
     */
    public Task<?> runningTask() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }

    /** {@return the tasks that have not completed yet, in creation order} */
    public List<Task<?>> tasks() {
        lock.lock();
        try {
            // A task whose future is complete may still be handing the loop on: it has completed.
            return live.stream().filter(t -> !t.isDone()).toList();
        } finally {
            lock.unlock();
        }
    }

    void attach(Object value) {
        lock.lock();
        try {
            if (attachment != null) {
                throw new IllegalStateException("loop '" + name + "' has an attachment already: " + attachment);
            }
            attachment = value;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts {@code body} as a new task named "task-N". See {@link #spawn(String, Callable)}.
     */
    public <T> Task<T> spawn(Callable<T> body) {
        return spawn(null, body);
    }

    /**
     * Starts {@code body} as a new task of this loop. It runs when the loop is free: at once if no
     * task holds the loop, else when the tasks ready before it have had their turn.
     *
     * @param name the task's name for logs and reports; {@code null} for "task-N"
     * @return the task
     * @throws IllegalStateException if the loop is closed
     */
    public <T> Task<T> spawn(String name, Callable<T> body) {
        return spawn(name, inheritedOwner(), body, false);
    }

    /**
     * Starts {@code body} as a new task working for {@code owner} (see {@link Task#owner()}); tasks
     * it spawns inherit the owner. A simulation uses owners to pause or crash one node's tasks.
     *
     * @param name the task's name; {@code null} for "task-N"
     * @param owner what the task works for; {@code null} for nothing
     * @throws IllegalStateException if the loop is closed
     */
    public <T> Task<T> spawn(String name, Object owner, Callable<T> body) {
        return spawn(name, owner, body, false);
    }

    /** {@return the owner of the calling task if it runs on this loop, else null} */
    Object inheritedOwner() {
        Task<?> current = CurrentTask.get();
        return current != null && current.loop() == this ? current.owner() : null;
    }

    /** Spawns a task whose failure nobody can retrieve, so it is reported at once. */
    Task<Void> spawnDetached(String name, Object owner, Runnable body) {
        return spawn(name, owner, () -> {
            body.run();
            return null;
        }, true);
    }

    private <T> Task<T> spawn(String name, Object owner, Callable<T> body, boolean detached) {
        Objects.requireNonNull(body, "body");
        refuseForeignThread("spawn a task", null);
        lock.lock();
        try {
            long id = ++taskIds;
            String taskName = name != null ? name : "task-" + id;
            if (closed) {
                throw new IllegalStateException("loop '" + this.name + "' is closed; cannot spawn task '" + taskName + "'");
            }
            Task<T> t = new Task<>(this, taskName, owner, body, detached,
                    debug ? new Throwable("task '" + taskName + "' created here") : null);
            live.add(t);
            t.runState = Task.READY;
            if (running == null && !advancing) {
                grant(t);
            } else {
                scheduler.add(t);
            }
            return t;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs blocking work ({@code Thread.sleep}, file or JDBC I/O, a CPU-heavy computation) on a
     * thread outside the loop, so that the loop's tasks go on meanwhile.
     *
     * @return a future of the result; await it from a task
     */
    public <T> Future<T> offload(Callable<T> work) {
        return Offload.start(this, work);
    }

    /**
     * Cancels every task and waits up to {@code grace} for them to finish, measured on the loop's
     * clock (so on a virtual clock the grace passes in virtual time, as the tasks' own sleeps do); then the loop
     * accepts no new tasks and failures nobody retrieved are reported. Tasks may spawn new tasks
     * while they clean up; those are cancelled as well. Called from a task of this loop, it cancels
     * and waits for the others.
     *
     * @return {@code true} if every task finished within the grace period
     */
    public boolean shutdown(Duration grace) {
        return Shutdown.run(this, grace);
    }

    /** Ends the loop once {@link Shutdown} is done: no new tasks, lost failures reported, no watchdog. */
    void markClosed() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
        failures.close();
        failures.reportAll();
        if (watchdog != null) {
            watchdog.interrupt();
        }
        if (telemetry != null) {
            Telemetry.loopClosed(telemetry);
        }
    }

    /**
     * Hands every failure of a finished task that nobody has looked at so far to the loop's
     * {@link ExceptionHandler} now, in the order the tasks failed, instead of when the task is
     * garbage-collected or the loop closes. For test kits and simulations, which want such failures
     * at a moment of their choosing (the end of a test, the end of a run). Each failure is reported
     * once; looking at it later changes nothing.
     */
    public void reportUnretrievedFailures() {
        failures.reportAll();
    }

    /** Shuts the loop down with {@link #DEFAULT_GRACE}; does nothing if it is closed already. */
    @Override
    public void close() {
        if (!isClosed()) {
            shutdown(DEFAULT_GRACE);
        }
    }

    /**
     * Hands a failure that no code handled to the loop's {@link ExceptionHandler}; for layers that
     * run code on the loop's behalf (connection handlers, callbacks).
     */
    public void reportFailure(String message, Throwable error) {
        Task<?> t = CurrentTask.get();
        handleUncaught(new UncaughtFailure(message, error, t != null ? t.name() : null,
                t != null ? t.creationSite() : null));
    }

    void handleUncaught(UncaughtFailure failure) {
        // Often run by another thread (the garbage collector's cleaner, a closing loop): log as the task.
        try (LogContext.Scope scope = LogContext.task(name, failure.taskName())) {
            try {
                exceptionHandler.handle(this, failure);
            } catch (RuntimeException | Error e) {
                log.error("[{}] exception handler failed while handling: {}", name, failure.message(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "Loop '" + name + "'";
    }

    // ---- the baton ----

    /** Gives the loop to {@code t}; caller holds the lock and the loop is free. */
    private void grant(Task<?> t) {
        grants++;
        running = t;
        t.runState = Task.RUNNING;
        t.grantedAt = System.nanoTime();
        if (!t.started) {
            t.started = true;
            t.thread.start();
        } else {
            LockSupport.unpark(t.thread);
        }
    }

    /**
     * Gives the loop to the next ready task, or leaves it free; caller holds the lock. When no task
     * is ready and no offloaded work is in flight, a virtual clock moves on to its next timers until
     * one of them wakes a task. Tasks woken while the clock moves only become ready; the next one is
     * picked after all due timers have fired, so no task runs alongside the firing and the order of
     * events depends on the scheduler alone.
     *
     * @return the deferred actions that are due now (the loop has no ready task, or they waited
     *     {@link #MAX_TURNS_DEFERRED} turns), or null; the caller runs them once it has released
     *     the lock
     */
    private List<Runnable> handOff() {
        Task<?> next = scheduler.poll();
        if (next == null) {
            next = idleWaiters.pollFirst(); // nothing else is ready: the loop is idle for them
        }
        List<Runnable> due = next == null || grants - whenNoneReadySince >= MAX_TURNS_DEFERRED ? takeDeferred() : null;
        if (next != null) {
            grant(next);
            return due;
        }
        running = null;
        advanceIdleClock();
        return due;
    }

    /**
     * How many turns an action deferred by {@link #deferWhileOthersReady} waits at most for the
     * loop to have no ready task: on a loop that is never idle, deferred frames still go out.
     */
    static final int MAX_TURNS_DEFERRED = 64;

    /**
     * If {@code t} holds the loop and other tasks are ready, keeps {@code action} for when none is
     * (or {@link #MAX_TURNS_DEFERRED} turns have passed). A connection batches its tasks' frames
     * this way: handing the writer each frame alone costs a thread wake-up and a system call per
     * frame, while the tasks that are ready together are about to send theirs too.
     *
     * @return whether the action was kept; if not, the caller does what it wanted now
     */
    boolean deferWhileOthersReady(Task<?> t, Runnable action) {
        lock.lock();
        try {
            if (running != t || (scheduler.size() == 0 && !t.workAhead) || closed) {
                return false;
            }
            if (whenNoneReady.isEmpty()) {
                whenNoneReadySince = grants;
            }
            whenNoneReady.add(action);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks the running task {@code t} as having more work queued that it does before it waits
     * (requests it received together), or not: while it does, {@link #deferWhileOthersReady}
     * keeps actions as if other tasks were ready. The mark ends when {@code t} gives up the loop.
     * {@code flush} runs the deferred actions now.
     */
    void workAhead(Task<?> t, boolean ahead, boolean flush) {
        t.workAhead = ahead;
        if (!flush) {
            return;
        }
        List<Runnable> due;
        lock.lock();
        try {
            due = running == t ? takeDeferred() : null;
        } finally {
            lock.unlock();
        }
        runDue(due);
    }

    /** {@return the deferred actions, now due, or null if there are none} Caller holds the lock. */
    private List<Runnable> takeDeferred() {
        if (whenNoneReady.isEmpty()) {
            return null;
        }
        List<Runnable> due = whenNoneReady;
        whenNoneReady = new ArrayList<>();
        return due;
    }

    /** Runs what {@link #handOff} found due, after the lock is released. */
    private void runDue(List<Runnable> due) {
        if (due == null) {
            return;
        }
        for (Runnable r : due) {
            try {
                r.run();
            } catch (RuntimeException | Error e) {
                log.error("[{}] an action deferred until no task was ready failed", name, e);
            }
        }
    }

    /** Runs the idle step if no task holds the loop and none is ready; any thread. */
    void resumeIdleClock() {
        lock.lock();
        try {
            if (running == null && scheduler.size() == 0) {
                Task<?> waiting = idleWaiters.pollFirst();
                if (waiting != null) {
                    grant(waiting);
                } else {
                    advanceIdleClock();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The idle step, when no task holds the loop and none is ready; caller holds the lock. Unless
     * offloaded work is in flight (whose end may wake a task sooner), a virtual clock moves on to
     * its next timers until one of them wakes a task, which then gets the loop.
     */
    private void advanceIdleClock() {
        if (offloads.get() != 0 || closed || advancing) {
            return;
        }
        Task<?> next = null;
        advancing = true;
        try {
            while (next == null) {
                boolean moved;
                try {
                    moved = time.advanceWhenIdle();
                } catch (RuntimeException e) {
                    // A timer action threw (the others due fired all the same): a failure no code handled.
                    handleUncaught(new UncaughtFailure("A timer action of clock " + clock + " failed", e, null, null));
                    moved = true;
                }
                if (!moved) {
                    break;
                }
                next = scheduler.poll();
            }
        } finally {
            advancing = false;
        }
        if (next != null) {
            grant(next);
        }
    }

    /** Parks task {@code t} (which holds the loop) until {@code w} is woken. */
    void park(Task<?> t, Waiter.OfTask w) {
        if (w.outcome.get() == Waiter.WAITING) { // else it keeps the loop and goes on
            t.beforeGivingUpLoop();
        }
        List<Runnable> due = null;
        lock.lock();
        try {
            if (t.cancelRequested) {
                // cancel() came while the task held the loop (from another thread, after the wait
                // checked for it) and found nothing to wake: end the wait now, or it never would.
                w.outcome.compareAndSet(Waiter.WAITING, Waiter.CANCELLED);
            }
            if (w.outcome.get() != Waiter.WAITING) {
                return; // woken before it could park: keep the loop and go on
            }
            t.parkedOn = w;
            t.runState = Task.WAITING;
            due = handOff();
        } finally {
            lock.unlock();
        }
        runDue(due);
        awaitTurn(t);
    }

    /** Makes {@code t} ready if it is parked on {@code w}; any thread. */
    void wake(Task<?> t, Waiter.OfTask w) {
        lock.lock();
        try {
            if (t.runState != Task.WAITING || t.parkedOn != w) {
                return; // not parked yet: park() sees the outcome and does not park
            }
            t.parkedOn = null;
            t.runState = Task.READY;
            if (running == null && !advancing) {
                grant(t);
            } else {
                scheduler.add(t);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Puts the running task {@code t} behind the other ready tasks. */
    private void requeue(Task<?> t) {
        setAside(t, false);
    }

    /**
     * Lets the running task {@code t} wait behind the other ready tasks ({@code untilIdle}: until
     * none is ready) and gives the loop on; if none is ready, {@code t} keeps it, and it is a
     * moment without ready tasks that deferred actions wait for.
     */
    private void setAside(Task<?> t, boolean untilIdle) {
        t.beforeGivingUpLoop();
        List<Runnable> due;
        boolean handedOff = false;
        lock.lock();
        try {
            if (scheduler.size() == 0) {
                due = takeDeferred();
            } else {
                t.runState = Task.READY;
                if (untilIdle) {
                    idleWaiters.addLast(t);
                } else {
                    scheduler.add(t);
                }
                due = handOff();
                handedOff = true;
            }
        } finally {
            lock.unlock();
        }
        runDue(due);
        if (handedOff) {
            awaitTurn(t);
        }
    }

    /**
     * Parks the task's thread until it holds the loop. An interrupt of a task's thread (tasks stop
     * by cancellation) must not make parking return at once forever: it is kept for after the wait.
     */
    private static void awaitTurn(Task<?> t) {
        boolean interrupted = false;
        while (t.runState != Task.RUNNING) {
            LockSupport.park(t);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    boolean cancel(Task<?> t) {
        refuseForeignThread("cancel", t);
        Waiter.OfTask parked;
        lock.lock();
        try {
            if (t.isDone() || t.runState == Task.DONE) {
                return false;
            }
            t.cancelRequested = true;
            parked = t.runState == Task.WAITING ? t.parkedOn : null;
        } finally {
            lock.unlock();
        }
        if (parked != null) {
            parked.fire(Waiter.CANCELLED);
        }
        return true;
    }

    /** Called by a task's thread when its body has ended and its future is complete. */
    void finish(Task<?> t) {
        List<Runnable> due = null;
        lock.lock();
        try {
            t.runState = Task.DONE;
            live.remove(t);
            due = handOff();
        } finally {
            lock.unlock();
        }
        runDue(due);
    }

    void track(Task<?> t, Task.UnretrievedFailure f) {
        failures.track(t, f);
    }

    /** {@return the task holding the loop and when it got it (System.nanoTime), or null; for the watchdog} */
    SlowTaskWatchdog.Turn currentTurn() {
        lock.lock();
        try {
            return running == null ? null : new SlowTaskWatchdog.Turn(running, running.grantedAt);
        } finally {
            lock.unlock();
        }
    }
}
