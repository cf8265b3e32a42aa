package io.loomas.sim;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What happened in a simulation, event by event, with virtual timestamps: sends, deliveries,
 * holds and drops, connects and resets, faults, timers and task switches.
 *
 * <p>The same seed and code give the same trace; {@link Simulation#checkDeterminism} compares two.
 * Thread-safe for appending only from the simulation (which runs one task at a time).
 */
public final class Trace {

    /**
     * One event.
     *
     * @param seq its position in the trace, from 0
     * @param time the virtual time it happened at
     * @param kind what happened: {@code send}, {@code deliver}, {@code hold}, {@code connect},
     *     {@code refuse}, {@code reset}, {@code close}, {@code fault}, {@code time}, {@code run}, ...
     * @param detail who and what, in words
     */
    public record Event(long seq, Duration time, String kind, String detail) {
        /** {@return the event as one JSON line: text is escaped by Jackson, so a newline in a log line stays in its line} */
        public String toJson() {
            return "{\"seq\": " + seq + ", \"t\": \"" + time + "\", \"kind\": \"" + quoted(kind) + "\", \"detail\": \""
                    + quoted(detail) + "\"}";
        }

        private static String quoted(String text) {
            return new String(JsonStringEncoder.getInstance().quoteAsString(text));
        }

        @Override
        public String toString() {
            return "#" + seq + " " + time + " " + kind + " " + detail;
        }
    }

    private final List<Event> events = new ArrayList<>();
    private long limit = Long.MAX_VALUE;
    private Runnable onLimit = () -> {};

    Trace() {}

    /** Calls {@code onLimit} once when the trace reaches {@code limit} events. */
    synchronized void limit(long limit, Runnable onLimit) {
        this.limit = limit;
        this.onLimit = onLimit;
    }

    void add(Duration time, String kind, String detail) {
        Runnable reached = null;
        synchronized (this) {
            events.add(new Event(events.size(), time, kind, detail));
            if (events.size() == limit) {
                reached = onLimit;
            }
        }
        if (reached != null) {
            reached.run(); // outside the lock: the report reads the loop's tasks
        }
    }

    /** {@return the events so far} */
    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** {@return how many events there are} */
    public synchronized int size() {
        return events.size();
    }

    /** Writes the trace as JSON lines to {@code file}. */
    public void writeJsonLines(Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file)) {
            for (Event e : events()) {
                out.write(e.toJson());
                out.write('\n');
            }
        }
    }

    /**
     * {@return a SHA-256 digest of the trace's JSON lines, in hex: equal for equal traces, so runs
     * in separate JVMs or on separate machines can be compared by one line}
     */
    public String digest() {
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        for (Event e : events()) {
            sha.update(e.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update((byte) '\n');
        }
        return java.util.HexFormat.of().formatHex(sha.digest());
    }

    /**
     * {@return the first event where {@code other} differs from this trace (its index), or -1 if the
     * two are the same, event for event}
     */
    public int firstDifference(Trace other) {
        List<Event> a = events();
        List<Event> b = other.events();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            Event x = a.get(i);
            Event y = b.get(i);
            if (!x.time().equals(y.time()) || !x.kind().equals(y.kind()) || !x.detail().equals(y.detail())) {
                return i;
            }
        }
        return a.size() == b.size() ? -1 : Math.min(a.size(), b.size());
    }
}
