package io.loomas.runtime;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;

/**
 * The failures of a loop's finished tasks that nobody has looked at yet. Each is reported to the
 * loop's exception handler once: when the loop is asked ({@link Loop#reportUnretrievedFailures()},
 * and at shutdown), or when the garbage collector finds its task, whichever comes first. On a
 * deterministic loop the collector never reports: what happens when must come from the seed.
 * After {@link #close()}, a new failure is reported at once. Thread-safe.
 */
final class FailureTracker {
    private static final Cleaner CLEANER = Cleaner.create();

    private final boolean deterministic;
    private final List<Task.UnretrievedFailure> unretrieved = new ArrayList<>(); // guarded by this
    private boolean closed; // guarded by this

    FailureTracker(boolean deterministic) {
        this.deterministic = deterministic;
    }

    /** Keeps {@code f}, the failure of {@code t}, until it is looked at or reported. */
    void track(Task<?> t, Task.UnretrievedFailure f) {
        boolean reportNow;
        synchronized (this) {
            reportNow = closed;
            if (!closed) {
                unretrieved.removeIf(Task.UnretrievedFailure::isSettled);
                unretrieved.add(f);
            }
        }
        if (reportNow) {
            f.report();
        } else if (!deterministic) {
            CLEANER.register(t, f); // holds f, not t: the task stays collectable
        }
    }

    /** Reports every failure kept so far, in the order the tasks failed. */
    void reportAll() {
        List<Task.UnretrievedFailure> toReport;
        synchronized (this) {
            toReport = new ArrayList<>(unretrieved);
            unretrieved.clear();
        }
        for (Task.UnretrievedFailure f : toReport) {
            f.report();
        }
    }

    /** From now on, failures are reported as they happen. */
    synchronized void close() {
        closed = true;
    }
}
