package io.loomas.examples.lockservice;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The replicated state machine: named locks with owners, fencing tokens and leases. Every replica
 * applies the same committed commands in the same order and gets the same answers.
 *
 * <p>Leases are judged on the leader's monotonic clock, never on a wall clock: each command
 * carries the term of the leader that proposed it and how long that leader had led when it did.
 * A lock granted (or renewed) in the same term is expired once that leader's time passed the grant
 * by the lease plus a safety margin; one granted in an earlier term only once the new leader has
 * led for a whole lease plus the margin, which is later than the old lease's end whatever the
 * clocks say. Not thread-safe.
 */
final class LockTable {
    /** What a lease's end is extended by, for a client's clock running slow against the leader's. */
    static final long MARGIN_MILLIS = 500;

    private static final class Held {
        String owner;
        long token;
        long ttl;
        long term;
        long since; // the leader's time in its term at the grant or last renewal, in ms
    }

    private final Map<String, Held> locks = new TreeMap<>();
    private final Map<String, Long> lastToken = new TreeMap<>();

    /**
     * Applies one command: {@code [op, term, elapsedMillis, name, ...]}.
     *
     * @return the answer: {@code ["granted", token]}, {@code ["held", owner]}, {@code ["released"]},
     *     {@code ["renewed"]}, {@code ["wrong-token"]}, {@code ["not-held"]}, {@code ["free"]}, {@code ["status", owner, token]}
     */
    List<Object> apply(List<Object> command) {
        String op = (String) command.get(0);
        if (op.equals("noop")) {
            return List.of("ok");
        }
        long term = ((Number) command.get(1)).longValue();
        long now = ((Number) command.get(2)).longValue();
        String name = (String) command.get(3);
        Held held = locks.get(name);
        if (held != null && expired(held, term, now)) {
            locks.remove(name);
            held = null;
        }
        return switch (op) {
            case "acquire" -> {
                if (held != null) {
                    yield List.of("held", held.owner);
                }
                long token = lastToken.getOrDefault(name, 0L) + 1;
                lastToken.put(name, token);
                Held h = new Held();
                h.owner = (String) command.get(4);
                h.ttl = ((Number) command.get(5)).longValue();
                h.token = token;
                h.term = term;
                h.since = now;
                locks.put(name, h);
                yield List.of("granted", token);
            }
            case "release" -> {
                long token = ((Number) command.get(4)).longValue();
                if (held == null) {
                    yield List.of("not-held");
                }
                if (held.token != token) {
                    yield List.of("wrong-token");
                }
                locks.remove(name);
                yield List.of("released");
            }
            case "renew" -> {
                long token = ((Number) command.get(4)).longValue();
                if (held == null) {
                    yield List.of("not-held");
                }
                if (held.token != token) {
                    yield List.of("wrong-token");
                }
                held.ttl = ((Number) command.get(5)).longValue();
                held.term = term;
                held.since = now;
                yield List.of("renewed");
            }
            case "status" -> held == null ? List.of("free") : List.of("status", held.owner, held.token);
            default -> throw new IllegalArgumentException("unknown command: " + command);
        };
    }

    private static boolean expired(Held h, long term, long now) {
        long lease = h.ttl + MARGIN_MILLIS;
        return term == h.term ? now - h.since > lease : now > lease;
    }
}
