package io.loomas.sim;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The temporary file a long trace streams to. Events are written in a compact binary form into a
 * buffer of its own, flushed when full: JSON quoting, or a lock per write, would cost more than
 * the simulation step the event records. An event is its time (seconds, nanos), its kind as an
 * index into a table kept here (kinds are few), and its detail as length-prefixed UTF-8. Not
 * thread-safe: the trace serialises access.
 */
final class TraceSpool implements AutoCloseable {
    private static final int BUFFER = 1 << 20;

    private final Path file;
    private final OutputStream out;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private final Map<String, Integer> kindIds = new HashMap<>(); // looked up only, never iterated
    private final List<String> kinds = new ArrayList<>();
    private final StringBuilder scratch = new StringBuilder(128); // a Detail's text, reused

    private TraceSpool(Path file, OutputStream out) {
        this.file = file;
        this.out = out;
    }

    static TraceSpool create() throws IOException {
        Path file = Files.createTempFile("loomas-trace-", ".bin");
        file.toFile().deleteOnExit();
        return new TraceSpool(file, Files.newOutputStream(file));
    }

    Path file() {
        return file;
    }

    /** Appends an event; its detail is a String or a {@link Trace.Detail}, written as its text. */
    void write(Duration time, String kindName, Object detailParts) {
        CharSequence detail;
        if (detailParts instanceof Trace.Detail d) {
            scratch.setLength(0);
            d.appendTo(scratch);
            detail = scratch;
        } else {
            detail = (String) detailParts;
        }
        if (BUFFER - pos < 20 + 3 * detail.length()) {
            flush();
        }
        Integer kind = kindIds.get(kindName);
        if (kind == null) {
            kind = kinds.size();
            kinds.add(kindName);
            kindIds.put(kindName, kind);
        }
        putLong(time.getSeconds());
        putInt(time.getNano());
        putInt(kind);
        if (20 + 3 * detail.length() > BUFFER) {
            byte[] bytes = detail.toString().getBytes(StandardCharsets.UTF_8); // larger than the buffer: write it as it is
            putInt(bytes.length);
            flush();
            writeOut(bytes, bytes.length);
            return;
        }
        int lengthAt = pos;
        pos += 4;
        int n = detail.length();
        for (int i = 0; i < n; i++) {
            char c = detail.charAt(i);
            if (c >= 0x80) { // not ASCII: let the JDK encode it
                pos = lengthAt + 4;
                byte[] bytes = detail.toString().getBytes(StandardCharsets.UTF_8);
                System.arraycopy(bytes, 0, buf, pos, bytes.length);
                pos += bytes.length;
                patchInt(lengthAt, bytes.length);
                return;
            }
            buf[pos++] = (byte) c;
        }
        patchInt(lengthAt, n);
    }

    /** Writes what is buffered to the file, so that it can be read. */
    void flush() {
        writeOut(buf, pos);
        pos = 0;
    }

    private void writeOut(byte[] bytes, int length) {
        try {
            out.write(bytes, 0, length);
            out.flush();
        } catch (IOException x) {
            throw new UncheckedIOException("cannot append to the trace file " + file, x);
        }
    }

    private void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }

    private void putInt(int v) {
        patchInt(pos, v);
        pos += 4;
    }

    private void patchInt(int at, int v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    /** {@return the first {@code count} events of the file, read lazily; closing the stream closes the file} */
    Stream<Trace.Event> read(long count) {
        flush();
        List<String> kindTable = List.copyOf(kinds);
        DataInputStream in;
        try {
            in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the trace file " + file, e);
        }
        Spliterator<Trace.Event> events = new Spliterators.AbstractSpliterator<>(count,
                Spliterator.ORDERED | Spliterator.SIZED) {
            private long seq;

            @Override
            public boolean tryAdvance(Consumer<? super Trace.Event> action) {
                if (seq == count) {
                    return false;
                }
                try {
                    Duration time = Duration.ofSeconds(in.readLong(), in.readInt());
                    String kind = kindTable.get(in.readInt());
                    String detail = new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
                    action.accept(new Trace.Event(seq++, time, kind, detail));
                    return true;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the trace file " + file, e);
                }
            }
        };
        return StreamSupport.stream(events, false).onClose(() -> {
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Closes and deletes the file. */
    @Override
    public void close() {
        try {
            out.close();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temporary file left behind is not worth a failure; deleteOnExit has it too
        }
    }
}
