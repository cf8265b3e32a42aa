package io.loomas.bench;

/** Shared by a driver's callers: when to stop issuing new calls. */
final class Deadline {
    private final long end;

    Deadline(long durationNanos) {
        end = System.nanoTime() + durationNanos;
    }

    boolean passed() {
        return System.nanoTime() - end >= 0;
    }
}
