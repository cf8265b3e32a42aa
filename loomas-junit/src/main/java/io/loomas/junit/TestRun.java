package io.loomas.junit;

import io.loomas.agent.Container;
import io.loomas.channel.Channel;
import io.loomas.channel.Server;
import io.loomas.rpc.RpcServer;
import io.loomas.runtime.Clock;
import io.loomas.runtime.Loop;
import io.loomas.runtime.LoopOptions;
import io.loomas.runtime.SlowTaskHandler;
import io.loomas.runtime.Task;
import io.loomas.runtime.UncaughtFailure;
import io.loomas.runtime.VirtualClock;
import io.loomas.runtime.internal.OpenResource;
import io.loomas.runtime.internal.OpenResources;
import io.loomas.transport.Address;
import io.loomas.transport.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

/**
 * The state of one test method: its loop, what it opened through the kit, the failures nobody
 * retrieved. Kept in the method's {@link ExtensionContext.Store}, whose closing is the last resort
 * that shuts the loop down and removes the socket directory whatever happened before.
 */
final class TestRun implements ExtensionContext.Store.CloseableResource {
    private static final AtomicInteger LOCAL_IDS = new AtomicInteger();
    /** How long closing a loop may wait for its cancelled tasks. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    /** Something the test opened through the kit, and how to close it. */
    private record Opened(Object resource, Closer closer) {}

    /** Closes one resource; may block (awaits handler tasks). */
    interface Closer {
        void close() throws Exception;
    }

    private final String name;
    private final Loop loop;
    private final StoppableClock virtualClock; // null on the system clock
    private final Duration timeout;
    private final Supplier<Transport> tls;
    private final List<UncaughtFailure> failures = Collections.synchronizedList(new ArrayList<>());
    private final List<SlowTaskHandler.Report> blocking = Collections.synchronizedList(new ArrayList<>());
    private final List<Opened> opened = Collections.synchronizedList(new ArrayList<>());
    private TransportContext transportContext;
    private Path socketDir;
    private volatile boolean timedOut;

    TestRun(String name, ClockKind clock, Duration timeout, Supplier<Transport> tls) {
        this.name = name;
        this.timeout = timeout;
        this.tls = tls;
        this.virtualClock = clock == ClockKind.VIRTUAL ? new StoppableClock() : null;
        LoopOptions options = LoopOptions.DEFAULT
                .withName("test " + name)
                .withDebug(true) // creation sites for the reports
                .withExceptionHandler((loop, failure) -> failures.add(failure))
                .withSlowTaskHandler((loop, report) -> {
                    SlowTaskHandler.logging().slowTask(loop, report);
                    if (report.blocked() && !Culprits.blockedByTestTooling(report.stack())) {
                        blocking.add(report); // fails the test (Leak.BLOCKING)
                    }
                });
        this.loop = Loop.create(virtualClock != null ? options.withClock(virtualClock) : options);
    }

    Loop loop() {
        return loop;
    }

    Clock clock() {
        return loop.clock();
    }

    /** {@return the virtual clock, or null on the system clock} */
    VirtualClock virtualClock() {
        return virtualClock != null ? virtualClock.virtualClock() : null;
    }

    TransportContext transportContext(TransportKind transport, CodecKind codec) {
        if (transportContext == null) {
            transportContext = new TransportContext(this, transport, codec, transport == TransportKind.TLS ? tls.get() : null);
        }
        return transportContext;
    }

    /**
     * Runs {@code body} as a task of the loop and waits (wall time) for it, at most the timeout.
     *
     * @throws AssertionFailedError with every task's stack if the timeout passes first
     * @throws Throwable the body's own failure, as it was thrown
     */
    <T> T runTask(String taskName, Callable<T> body) throws Throwable {
        Task<T> task = loop.spawn(taskName, body);
        CountDownLatch done = new CountDownLatch(1);
        task.onComplete(f -> done.countDown()); // also marks the failure as looked at: it is rethrown here
        if (!done.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            timedOut = true;
            String dump = TaskDump.of(loop);
            // The grace passes on the loop's clock; a virtual one stands still while a task holds
            // the loop, so the wait for the shutdown is bounded in wall time here.
            Thread closing = Thread.ofVirtual().name("closing " + loop.name()).start(() -> loop.shutdown(Duration.ofSeconds(1)));
            closing.join(Duration.ofSeconds(2));
            throw new AssertionFailedError("'" + taskName + "' did not finish within " + describe(timeout)
                    + " (set @LoomasTest(timeout = ...) if it needs longer); the tasks of " + loop + " were:\n" + dump);
        }
        if (task.isCancelled()) {
            throw new AssertionFailedError("'" + taskName + "' was cancelled before it finished");
        }
        Throwable failure = task.exception();
        if (failure != null) {
            throw failure;
        }
        return task.result();
    }

    /** Registers {@code resource} to be closed by {@code closer} after the test, last opened first closed. */
    void closeAfterTest(Object resource, Closer closer) {
        opened.add(new Opened(resource, closer));
    }

    Address freshAddress(TransportKind transport) {
        return switch (transport) {
            case TCP, TLS -> Address.tcp("127.0.0.1", 0);
            case UNIX -> Address.unix(socketDir().resolve("s" + LOCAL_IDS.incrementAndGet()));
            case LOCAL -> Address.local("loomas-junit-" + LOCAL_IDS.incrementAndGet());
        };
    }

    private synchronized Path socketDir() {
        if (socketDir == null) {
            try {
                // Short on purpose: socket paths are limited to about 106 bytes, and the default
                // temporary directory can be long (macOS, CI workspaces).
                Path tmp = Path.of("/tmp");
                socketDir = Files.createTempDirectory(Files.isDirectory(tmp) ? tmp : Path.of(System.getProperty("java.io.tmpdir")), "lm");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary directory for Unix socket files", e);
            }
        }
        return socketDir;
    }

    /** Stops virtual time, so timers left by the test stay pending for the checks. */
    void stopTime() {
        if (virtualClock != null) {
            virtualClock.stop();
        }
    }

    /**
     * Closes what the test opened through the kit, checks what was left behind, closes the loop.
     *
     * @throws AssertionFailedError naming every leak found among {@code checks}
     */
    void finish(Set<Leak> checks) throws Throwable {
        if (timedOut || loop.isClosed()) {
            return; // the timeout reported already, with every task's stack
        }
        stopTime();
        List<String> found = runTask("after the test", () -> {
            List<String> problems = new ArrayList<>();
            closeOpened(problems);
            Loop.runUntilIdle(); // what the closing woke up finishes, or blocks for good
            Task<?> self = Task.current();
            if (checks.contains(Leak.RUNNING_TASKS)) {
                for (Task<?> t : loop.tasks()) {
                    if (t != self) {
                        problems.add("task '" + t.name() + "' is still running; created at " + Culprits.site(t.creationSite())
                                + "; await or cancel it before the test ends");
                    }
                }
            }
            if (checks.contains(Leak.OPEN_RESOURCES)) {
                for (OpenResource r : OpenResources.of(loop)) {
                    problems.add(Culprits.describe(r.resource()) + " was left open; opened by task '" + r.taskName() + "' at "
                            + Culprits.site(r.openSite()) + "; close it, or open it through TransportContext");
                }
            }
            if (checks.contains(Leak.PENDING_TIMERS) && virtualClock != null) {
                VirtualClock time = virtualClock.virtualClock();
                if (time.pendingTimers() > 0) {
                    problems.add(time.pendingTimers() + " timer(s) still pending on the virtual clock at " + time.now()
                            + ", the next due at " + time.nextDeadline() + "; cancel them (TimerHandle.cancel()) or let them fire");
                }
            }
            return problems;
        });
        if (virtualClock != null) {
            virtualClock.resume(); // the checks are done; the grace period passes on this clock
        }
        loop.shutdown(GRACE); // cancels what is left and hands unretrieved failures to the handler
        List<Throwable> causes = new ArrayList<>();
        if (checks.contains(Leak.BLOCKING)) {
            for (SlowTaskHandler.Report r : List.copyOf(blocking)) {
                Throwable where = new Throwable("stack of task '" + r.taskName() + "'");
                where.setStackTrace(r.stack());
                found.add("task '" + r.taskName() + "' blocked its thread for " + r.held().toMillis() + " ms while it held"
                        + " the loop, at " + Culprits.site(where) + "; a blocking call (Thread.sleep, blocking I/O, a lock)"
                        + " belongs in loop.offload(...), a wait in clock().sleep(...)");
                causes.add(where);
            }
        }
        if (checks.contains(Leak.UNRETRIEVED_FAILURES)) {
            for (UncaughtFailure f : List.copyOf(failures)) {
                found.add(f.message() + (f.creationSite() != null ? "; task created at " + Culprits.site(f.creationSite()) : "")
                        + ": " + f.error());
                causes.add(f.error());
            }
        }
        if (!found.isEmpty()) {
            AssertionFailedError error = new AssertionFailedError("the test left things behind (@AllowLeaks turns a check off):\n  - "
                    + String.join("\n  - ", found));
            causes.forEach(error::addSuppressed);
            throw error;
        }
    }

    /** Closes the kit's resources in reverse order; a failure to close is a problem of its own. */
    private void closeOpened(List<String> problems) {
        List<Opened> all;
        synchronized (opened) {
            all = new ArrayList<>(opened);
            opened.clear();
        }
        Collections.reverse(all);
        Set<Address> servers = new HashSet<>();
        for (Opened o : all) {
            try {
                switch (o.resource()) {
                    case Server s -> servers.add(s.address());
                    case RpcServer s -> servers.add(s.address());
                    case Container c -> servers.add(c.address());
                    default -> { }
                }
                o.closer().close();
            } catch (Exception e) {
                problems.add("closing " + o.resource() + " failed: " + e);
            }
        }
        // A channel the test opened itself to one of those servers closes once the server's side
        // has: wait for that, so whether it counts as left open does not depend on timing.
        for (OpenResource r : OpenResources.of(loop)) {
            if (r.resource() instanceof Channel c && servers.contains(c.peerAddress())) {
                c.closed().await();
            }
        }
    }

    /** The last resort, when the store closes: whatever is still open is closed, quietly. */
    @Override
    public void close() throws IOException {
        try {
            if (!loop.isClosed()) {
                List<String> ignored = new ArrayList<>();
                try {
                    runTask("closing after a failed setup", () -> {
                        closeOpened(ignored);
                        return null;
                    });
                } catch (Throwable e) {
                    // the test has failed already; the loop is closed below either way
                }
                if (virtualClock != null) {
                    virtualClock.resume();
                }
                loop.shutdown(GRACE);
            }
        } finally {
            deleteSocketDir();
        }
    }

    private synchronized void deleteSocketDir() throws IOException {
        if (socketDir == null) {
            return;
        }
        try (var files = Files.list(socketDir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(socketDir);
    }

    static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    @Override
    public String toString() {
        return "TestRun[" + name + "]";
    }
}
