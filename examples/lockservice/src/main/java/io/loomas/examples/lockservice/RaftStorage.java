package io.loomas.examples.lockservice;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loomas.disk.Disk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What Raft must keep across a crash, on a node's {@link Disk}: the current term and the vote of
 * that term (file {@code meta}, replaced atomically), and the log (file {@code log}, one JSON line
 * per entry, appended and synced). A torn last line (a crash during an append nobody was answered
 * for) is cut off the file on load: left there, the next append would glue onto it. Not thread-safe: one node's tasks use it, under the node's mutex.
 */
final class RaftStorage {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One log entry: the term it was proposed in, and the command. */
    record Entry(long term, List<Object> command) {
        List<Object> toWire() {
            return List.of(term, command);
        }

        @SuppressWarnings("unchecked")
        static Entry fromWire(Object wire) {
            List<Object> l = (List<Object>) wire;
            return new Entry(((Number) l.get(0)).longValue(), (List<Object>) l.get(1));
        }
    }

    private final Disk disk;
    private long term;
    private String votedFor;
    private final List<Entry> log = new ArrayList<>(); // entry i has index i + 1
    private long durable; // the entries up to here are synced

    RaftStorage(Disk disk) throws IOException {
        this.disk = disk;
        if (disk.exists("meta")) {
            List<Object> meta = JSON.readValue(disk.read("meta"), new TypeReference<List<Object>>() {});
            term = ((Number) meta.get(0)).longValue();
            votedFor = (String) meta.get(1);
        }
        byte[] bytes = disk.read("log");
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        if (end < bytes.length) {
            // A torn last line: cut it off the file too, or the next append would glue onto it.
            disk.truncate("log", end);
            disk.sync("log");
        }
        String text = new String(bytes, 0, end, StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                log.add(Entry.fromWire(JSON.readValue(line, Object.class)));
            }
        }
        durable = log.size();
    }

    long term() {
        return term;
    }

    String votedFor() {
        return votedFor;
    }

    /** Stores the term and the vote durably; returns once they survive a crash. */
    void saveTermAndVote(long term, String votedFor) throws IOException {
        disk.replace("meta", JSON.writeValueAsBytes(java.util.Arrays.asList(term, votedFor)));
        this.term = term;
        this.votedFor = votedFor;
    }

    /** Changes the term and vote in memory only: for the planted bug that answers before storing. */
    void rememberOnly(long term, String votedFor) {
        this.term = term;
        this.votedFor = votedFor;
    }

    /**
     * {@return the last index known to be synced} An append whose sync was cut short (its task
     * cancelled: a caller that gave up) leaves entries in the log that may not survive a crash; a
     * leader counts its own copy towards a majority only up to here.
     */
    long durableIndex() {
        return durable;
    }

    long lastIndex() {
        return log.size();
    }

    /** {@return the term of the entry at {@code index}, 0 for index 0} */
    long termAt(long index) {
        return index == 0 ? 0 : log.get((int) index - 1).term();
    }

    Entry entry(long index) {
        return log.get((int) index - 1);
    }

    List<Entry> entriesFrom(long index, int max) {
        int from = (int) index - 1;
        return List.copyOf(log.subList(from, Math.min(log.size(), from + max)));
    }

    /**
     * Appends {@code entries} durably. If the sync is cut short, they stay in memory as they stay in
     * the file: unsynced, and not counted in {@link #durableIndex}.
     */
    void append(List<Entry> entries) throws IOException {
        if (entries.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        for (Entry e : entries) {
            lines.append(json(e.toWire())).append('\n');
        }
        disk.append("log", lines.toString().getBytes(StandardCharsets.UTF_8));
        // In memory before the sync, which may be cut short: the file has the entries from here on,
        // and a log that lacked them would write the same indexes again (an entry twice on disk).
        log.addAll(entries);
        disk.sync("log");
        durable = log.size();
    }

    /** Drops the entries from {@code index} on, durably (a rewrite of the log, atomically). */
    void truncateFrom(long index) throws IOException {
        List<Entry> kept = new ArrayList<>(log.subList(0, (int) index - 1));
        StringBuilder lines = new StringBuilder();
        for (Entry e : kept) {
            lines.append(json(e.toWire())).append('\n');
        }
        disk.replace("log", lines.toString().getBytes(StandardCharsets.UTF_8));
        log.clear();
        log.addAll(kept);
        durable = log.size(); // a replace is synced, unsynced entries before it included
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
