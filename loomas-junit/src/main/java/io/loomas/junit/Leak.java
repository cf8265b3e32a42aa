package io.loomas.junit;

/** The checks run after every {@link LoomasTest} method; each names what it found. */
public enum Leak {
    /** A task of the test's loop is still alive once every ready task has run: its name and creation site. */
    RUNNING_TASKS,
    /** A task failed (or a connection handler or timer callback threw) and nobody retrieved the failure. */
    UNRETRIEVED_FAILURES,
    /** A server or client channel the test opened itself (not through {@link TransportContext}) is still open. */
    OPEN_RESOURCES,
    /** A timer is still pending on the virtual clock ({@link ClockKind#VIRTUAL} only). */
    PENDING_TIMERS,
    /**
     * A task blocked its thread (Thread.sleep, blocking I/O, another thread's lock) for longer than
     * the slow-task threshold (100 ms) while it held the loop, so every other task of the test
     * waited: its name and stack. Such calls belong in {@code loop.offload(...)}. Test tooling
     * that blocks once to set itself up (Mockito attaching its agent) does not count.
     */
    BLOCKING
}
