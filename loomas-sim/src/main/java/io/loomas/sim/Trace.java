package io.loomas.sim;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.Writer;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * What happened in a simulation, event by event, with virtual timestamps: sends, deliveries,
 * holds and drops, connects and resets, faults, timers and task switches.
 *
 * <p>The same seed and code give the same trace; {@link Simulation#checkDeterminism} compares two.
 * A short trace is kept in memory; a long one (more than {@code -Dloomas.trace.window} events,
 * 250,000 by default) is streamed to a temporary file as it grows, so memory stays small however
 * long a run is, and is read back from there. The simulator's own frequent events (sends,
 * deliveries, task switches, time jumps) keep their detail as its parts until the event is read or
 * spooled: building their text at every step cost more than the step itself. Thread-safe for
 * appending only from the simulation (which runs one task at a time).
 */
public final class Trace {
    private static final Cleaner CLEANER = Cleaner.create();
    static final int DEFAULT_WINDOW = Integer.getInteger("loomas.trace.window", 250_000);

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

    /**
     * An event's detail kept as its parts, and written as text only when the event is read or
     * spooled. Implementations are immutable and hold nothing large (no frames): the trace keeps
     * them for as long as the simulation lives.
     */
    interface Detail {
        /** Appends the detail's text to {@code out}: the same text every time. */
        void appendTo(StringBuilder out);
    }

    /** An event as the trace keeps it in memory: its detail is a String or a {@link Detail}. */
    private record Entry(Duration time, String kind, Object detail) {}

    private int window;
    private final List<Entry> events = new ArrayList<>(); // every event until the trace spills, then none
    private long size;
    private TraceSpool spool; // null until the trace outgrows its window
    private boolean inMemoryOnly; // set when no temporary file could be made
    private long limit = Long.MAX_VALUE;
    private Runnable onLimit = () -> {};

    Trace() {
        this(DEFAULT_WINDOW);
    }

    Trace(int window) {
        this.window = window;
    }

    /** Sets how many events stay in memory before the trace streams to a file (for tests). */
    synchronized void setWindow(int window) {
        this.window = window;
    }

    /** Calls {@code onLimit} once when the trace reaches {@code limit} events. */
    synchronized void limit(long limit, Runnable onLimit) {
        this.limit = limit;
        this.onLimit = onLimit;
    }

    void add(Duration time, String kind, String detail) {
        append(time, kind, detail);
    }

    /** Adds an event whose detail becomes text only when the event is read. */
    void add(Duration time, String kind, Detail detail) {
        append(time, kind, detail);
    }

    private void append(Duration time, String kind, Object detail) {
        Runnable reached = null;
        synchronized (this) {
            size++;
            Entry e = new Entry(time, kind, detail);
            if (spool != null) {
                write(e);
            } else {
                events.add(e);
                if (events.size() > window && !inMemoryOnly) {
                    spill();
                }
            }
            if (size == limit) {
                reached = onLimit;
            }
        }
        if (reached != null) {
            reached.run(); // outside the lock: the report reads the loop's tasks
        }
    }

    /** Moves the events to a temporary file, which receives every event from now on. */
    private void spill() {
        try {
            TraceSpool s = TraceSpool.create();
            CLEANER.register(this, s::close); // the spool does not refer to the trace
            for (Entry e : events) {
                s.write(e.time(), e.kind(), e.detail());
            }
            spool = s;
            events.clear();
        } catch (IOException e) {
            inMemoryOnly = true;
            LoggerFactory.getLogger(Trace.class).warn("cannot stream a long trace to a temporary file; keeping it in memory", e);
        }
    }

    private void write(Entry e) {
        spool.write(e.time(), e.kind(), e.detail());
    }

    /** {@return the text of a detail kept as a String or a {@link Detail}} */
    private static String text(Object detail) {
        if (detail instanceof Detail d) {
            StringBuilder out = new StringBuilder(64);
            d.appendTo(out);
            return out.toString();
        }
        return (String) detail;
    }

    /** {@return the events so far; read back from the trace's file if it is long (see {@link #stream()})} */
    public List<Event> events() {
        try (Stream<Event> all = stream()) {
            return all.toList();
        }
    }

    /**
     * {@return the events so far, read lazily: for a long trace, from its file, without holding it
     * in memory; close the stream after use}
     */
    public synchronized Stream<Event> stream() {
        if (spool == null) {
            List<Entry> now = List.copyOf(events);
            return java.util.stream.IntStream.range(0, now.size()).mapToObj(i -> {
                Entry e = now.get(i);
                return new Event(i, e.time(), e.kind(), text(e.detail()));
            });
        }
        return spool.read(size);
    }

    /** {@return how many events there are} */
    public synchronized int size() {
        return (int) Math.min(size, Integer.MAX_VALUE);
    }

    /** Writes the trace as JSON lines to {@code file}. */
    public void writeJsonLines(Path file) throws IOException {
        writeJsonLines(file, Long.MAX_VALUE);
    }

    /**
     * Writes the trace as JSON lines to {@code file}, at most {@code maxEvents} of them: if there are
     * more, the first tenth and the last nine tenths of that many, with one line in between of kind
     * {@code omitted} that says how many were left out (a runaway run's trace would fill a disk).
     */
    public void writeJsonLines(Path file, long maxEvents) throws IOException {
        long total = size();
        long head = total <= maxEvents ? total : maxEvents / 10;
        long tailFrom = total <= maxEvents ? total : total - (maxEvents - head);
        try (Writer out = Files.newBufferedWriter(file); Stream<Event> all = stream()) {
            long n = 0;
            for (Iterator<Event> i = all.iterator(); i.hasNext(); n++) {
                Event e = i.next();
                if (n < head || n >= tailFrom) {
                    out.write(e.toJson());
                    out.write('\n');
                } else if (n == head) {
                    out.write(new Event(e.seq(), e.time(), "omitted", (tailFrom - head) + " events left out of this file,"
                            + " from #" + e.seq() + " (the run recorded " + total + ")").toJson());
                    out.write('\n');
                }
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
        try (Stream<Event> all = stream()) {
            all.forEach(e -> {
                sha.update(e.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            });
        }
        return java.util.HexFormat.of().formatHex(sha.digest());
    }

    /**
     * {@return the first event where {@code other} differs from this trace (its index), or -1 if the
     * two are the same, event for event}
     */
    public int firstDifference(Trace other) {
        try (Stream<Event> a = stream(); Stream<Event> b = other.stream()) {
            Iterator<Event> x = a.iterator();
            Iterator<Event> y = b.iterator();
            int i = 0;
            while (x.hasNext() && y.hasNext()) {
                Event e = x.next();
                Event f = y.next();
                if (!e.time().equals(f.time()) || !e.kind().equals(f.kind()) || !e.detail().equals(f.detail())) {
                    return i;
                }
                i++;
            }
            return x.hasNext() || y.hasNext() ? i : -1;
        }
    }

    /** {@return the event at {@code index}, or null if the trace is shorter} */
    Event event(long index) {
        try (Stream<Event> all = stream()) {
            return all.skip(index).findFirst().orElse(null);
        }
    }
}
