package io.loomas.sim.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Ready {@link Model}s, with the operations their histories record: a register, a key-value map
 * (each key checked on its own), a counter, a FIFO queue and a lock with fencing tokens.
 *
 * <p>Outputs are what the client saw: a read's value, a compare-and-set's {@code Boolean}, a
 * dequeue's element ({@code null} if the queue was empty), a lock grant's token ({@code Long},
 * {@code null} if refused because it was held), a release's {@code Boolean}.
 */
public final class Models {
    private Models() {}

    /** A register read; returns the value. */
    public record Read() {}

    /** A register write; returns nothing. */
    public record Write(Object value) {}

    /** A register compare-and-set; returns whether the register held {@code expected}. */
    public record Cas(Object expected, Object value) {}

    /** A read of {@code key} in a map; returns its value, or {@code null} if absent. */
    public record Get(Object key) {}

    /** A write of {@code key} in a map; returns nothing. */
    public record Put(Object key, Object value) {}

    /** Adds {@code delta} to a counter; returns nothing. */
    public record Add(long delta) {}

    /** Reads a counter; returns its value as a {@code Long} (or any {@code Number}). */
    public record ReadCount() {}

    /** Appends to a queue; returns nothing. */
    public record Enqueue(Object value) {}

    /** Takes the head of a queue; returns it, or {@code null} if the queue was empty. */
    public record Dequeue() {}

    /** Asks for the lock for {@code owner}; returns the grant's fencing token, or {@code null} if it was held. */
    public record Acquire(String owner) {}

    /** Gives the lock back; returns whether {@code owner} held it with {@code token}. */
    public record Release(String owner, long token) {}

    /** Extends the lease of the lock; returns whether {@code owner} held it with {@code token} (it keeps it). */
    public record Renew(String owner, long token) {}

    /** A register's or a key's value, {@code null} included. */
    public record Value(Object value) {}

    /**
     * A lock's state: who holds it ({@code null}: nobody), the greatest token granted so far, and the
     * holder's token ({@code null} if its grant was not seen: a grant whose outcome is unknown).
     */
    public record LockState(String holder, long lastToken, Long heldToken) {}

    /** {@return a register, initially {@code null}: {@link Read}, {@link Write}, {@link Cas}} */
    public static Model<Value> register() {
        return new Registers(false);
    }

    private static Value registerStep(Value state, Object input, Object output, boolean known) {
        return switch (input) {
            case Read r -> !known || Objects.equals(output, state.value()) ? state : null;
            case Write w -> new Value(w.value());
            case Cas c -> {
                boolean holds = Objects.equals(state.value(), c.expected());
                if (known && !Boolean.valueOf(holds).equals(output)) {
                    yield null;
                }
                yield holds ? new Value(c.value()) : state;
            }
            case Get g -> !known || Objects.equals(output, state.value()) ? state : null;
            case Put p -> new Value(p.value());
            default -> throw new IllegalArgumentException("not a register operation: " + input);
        };
    }

    /** {@return a map, initially empty: {@link Get} and {@link Put}, each key checked on its own} */
    public static Model<Value> keyValue() {
        return new Registers(true);
    }

    /** One register, or a register per key of a map. */
    private record Registers(boolean perKey) implements Model<Value> {
        @Override
        public Value initial() {
            return new Value(null);
        }

        @Override
        public Value step(Value state, Object input, Object output, boolean known) {
            return registerStep(state, input, output, known);
        }

        @Override
        public Object partition(Object input) {
            if (!perKey) {
                return null;
            }
            return switch (input) {
                case Get g -> g.key();
                case Put p -> p.key();
                default -> throw new IllegalArgumentException("not a map operation: " + input);
            };
        }
    }

    /** {@return a counter, initially 0: {@link Add} and {@link ReadCount}} */
    public static Model<Long> counter() {
        return new Model<>() {
            @Override
            public Long initial() {
                return 0L;
            }

            @Override
            public Long step(Long state, Object input, Object output, boolean known) {
                return switch (input) {
                    case Add a -> state + a.delta();
                    case ReadCount r -> !known || (output instanceof Number n && n.longValue() == state) ? state : null;
                    default -> throw new IllegalArgumentException("not a counter operation: " + input);
                };
            }
        };
    }

    /** {@return a FIFO queue, initially empty: {@link Enqueue} and {@link Dequeue}} */
    public static Model<List<Object>> queue() {
        return new Model<>() {
            @Override
            public List<Object> initial() {
                return List.of();
            }

            @Override
            public List<Object> step(List<Object> state, Object input, Object output, boolean known) {
                switch (input) {
                    case Enqueue e -> {
                        List<Object> next = new ArrayList<>(state);
                        next.add(e.value());
                        return List.copyOf(next);
                    }
                    case Dequeue d -> {
                        if (state.isEmpty()) {
                            return !known || output == null ? state : null;
                        }
                        return !known || Objects.equals(output, state.get(0)) ? state.subList(1, state.size()) : null;
                    }
                    default -> throw new IllegalArgumentException("not a queue operation: " + input);
                }
            }
        };
    }

    /**
     * {@return a lock with fencing tokens, initially free: {@link Acquire}, {@link Renew} and
     * {@link Release}; at most one owner holds it, every grant's token is greater than all before
     * it, and only the holder's token renews or releases it (leases do not end here: a history
     * checked with this model gives them longer than the run)}
     */
    public static Model<LockState> lock() {
        return new Model<>() {
            @Override
            public LockState initial() {
                return new LockState(null, Long.MIN_VALUE, null);
            }

            @Override
            public LockState step(LockState state, Object input, Object output, boolean known) {
                return switch (input) {
                    case Acquire a -> {
                        if (!known) {
                            // Granted with a token nobody saw, or refused.
                            yield state.holder() == null ? new LockState(a.owner(), state.lastToken(), null) : state;
                        }
                        if (output == null) {
                            yield state.holder() != null ? state : null; // refused while free: wrong
                        }
                        long token = ((Number) output).longValue();
                        yield state.holder() == null && token > state.lastToken()
                                ? new LockState(a.owner(), token, token) : null;
                    }
                    case Release r -> {
                        boolean holds = holds(state, r.owner(), r.token());
                        if (known && !Boolean.valueOf(holds).equals(output)) {
                            yield null;
                        }
                        yield holds ? new LockState(null, Math.max(state.lastToken(), r.token()), null) : state;
                    }
                    case Renew r -> {
                        boolean holds = holds(state, r.owner(), r.token());
                        if (known && !Boolean.valueOf(holds).equals(output)) {
                            yield null;
                        }
                        // A renewal by a holder whose grant nobody saw tells its token.
                        yield holds && state.heldToken() == null ? new LockState(state.holder(), r.token(), r.token()) : state;
                    }
                    default -> throw new IllegalArgumentException("not a lock operation: " + input);
                };
            }
        };
    }

    /** {@return whether {@code owner} holds the lock with {@code token} (any token past the last, for a grant nobody saw)} */
    private static boolean holds(LockState state, String owner, long token) {
        return owner.equals(state.holder()) && (state.heldToken() == null ? token > state.lastToken()
                : token == state.heldToken());
    }
}
