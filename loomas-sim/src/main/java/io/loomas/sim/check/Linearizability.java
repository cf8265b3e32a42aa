package io.loomas.sim.check;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks that a {@link History} is linearizable: that its operations can be put in one order,
 * consistent with real time (an operation that ended before another was invoked comes first), in
 * which each did what the {@link Model} says and returned what the client saw. Operations with an
 * unknown outcome may take effect at any point after their invocation, or not at all; failed ones
 * are left out.
 *
 * <p>The search is Wing and Gong's, in Lowe's form: it tries to linearize each operation as early
 * as it may and backtracks when an operation's end comes before it could be placed, remembering
 * every (set of placed operations, state) pair it has tried so it never explores one twice. Each
 * independent part of the model ({@link Model#partition}, a key of a map) is checked on its own.
 *
 * {@snippet class="io.loomas.snippets.CheckSnippets" region="check"}
 */
public final class Linearizability {
    private Linearizability() {}

    /** How many steps a search may take unless {@link #check(History, Model, long)} says otherwise. */
    public static final long DEFAULT_MAX_STEPS = 5_000_000;

    /**
     * What a check found.
     *
     * @param linearizable whether the history is linearizable
     * @param decided false if the search gave up within its budget of steps: then nothing is known
     * @param explanation what was found, or why it is not linearizable, or why it gave up
     */
    public record Result(boolean linearizable, boolean decided, String explanation) {
        /**
         * @throws AssertionError with the explanation, if the history is not linearizable or the
         *     check could not decide
         */
        public void assertLinearizable() {
            if (!linearizable) {
                throw new AssertionError(explanation);
            }
        }
    }

    /**
     * {@return whether {@code history} is linearizable under {@code model}, and if not, why},
     * giving up after {@link #DEFAULT_MAX_STEPS} steps of the search in any part
     */
    public static <S> Result check(History history, Model<S> model) {
        return check(history, model, DEFAULT_MAX_STEPS);
    }

    /**
     * {@return whether {@code history} is linearizable under {@code model}, and if not, why}, or
     * undecided once a part's search has taken {@code maxSteps} steps. The search is exponential
     * in the worst case (many concurrent operations of unknown outcome): a budget of steps, not of
     * time, gives the same answer on every machine and every run.
     *
     * @throws IllegalArgumentException if {@code maxSteps} is not positive
     */
    public static <S> Result check(History history, Model<S> model, long maxSteps) {
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(model, "model");
        if (maxSteps <= 0) {
            throw new IllegalArgumentException("maxSteps must be positive: " + maxSteps);
        }
        Map<Object, List<History.Operation>> parts = new LinkedHashMap<>();
        for (History.Operation op : history.operations()) {
            if (op.outcome() != History.Outcome.FAIL) {
                parts.computeIfAbsent(new Key(model.partition(op.input())), k -> new ArrayList<>()).add(op);
            }
        }
        for (Map.Entry<Object, List<History.Operation>> part : parts.entrySet()) {
            Search<S> search = new Search<>(model, part.getValue(), maxSteps, Long.MAX_VALUE);
            String failure = search.run();
            Object key = ((Key) part.getKey()).value();
            if (search.exhausted) {
                return new Result(false, false, "undecided: the search took " + maxSteps + " steps"
                        + (key == null ? "" : " on part " + key) + " (" + part.getValue().size() + " operations) without an"
                        + " answer. Many concurrent operations of unknown outcome make it exponential: record fewer (a"
                        + " client that stops after an unknown outcome), shorten the history, or raise the budget with"
                        + " Linearizability.check(history, model, maxSteps)");
            }
            if (failure != null) {
                String why = "not linearizable" + (key == null ? "" : " (part " + key + ")") + ": "
                        + window(model, part.getValue(), maxSteps) + "\n" + failure;
                io.loomas.sim.Simulation sim = io.loomas.sim.Simulation.current();
                if (sim != null) {
                    sim.trace("check", why.lines().findFirst().orElse(why)); // the diagram marks where it went wrong
                }
                return new Result(false, true, why);
            }
        }
        return new Result(true, true, "linearizable: " + history.operations().size() + " operations in " + parts.size()
                + " part(s)");
    }

    /**
     * {@return the smallest window of {@code ops} (a part that is not linearizable) that shows it}
     * The history is cut in time, just after an end that was seen: what was invoked before the cut
     * stays, and what ended after it is open there (it may or may not have taken effect yet). Cut
     * in invocation order instead, an operation that began early and ended late would be judged
     * without the operations that happened meanwhile, and blamed for them. A prefix of a
     * linearizable history is linearizable, so the cuts that fail are all the later ones: bisection
     * finds the first. The window is that cut's last end with every operation open when the first
     * of those it overlaps began.
     */
    private static <S> String window(Model<S> model, List<History.Operation> ops, long maxSteps) {
        List<History.Operation> ends = ops.stream().filter(op -> op.outcome() == History.Outcome.OK)
                .sorted(java.util.Comparator.comparingLong(History.Operation::endSequence)).toList();
        int lo = -1; // a cut before every end is linearizable: only open operations, none need take effect
        int hi = ends.size() - 1; // the whole part is not
        boolean exact = true;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            long cut = ends.get(mid).endSequence() + 1;
            Search<S> prefix = new Search<>(model, before(ops, cut), maxSteps, cut);
            String failed = prefix.run();
            if (prefix.exhausted) {
                exact = false;
                break; // undecided cuts: show the window of the earliest cut known to fail
            }
            if (failed == null) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        History.Operation last = ends.get(hi);
        long cut = last.endSequence() + 1;
        List<History.Operation> prefix = before(ops, cut);
        long start = last.invokeSequence();
        for (History.Operation op : prefix) {
            if (overlaps(op, last, cut)) {
                start = Math.min(start, op.invokeSequence());
            }
        }
        // For context, each process's last operation that ended before the window: the state it saw.
        Map<String, History.Operation> before = new LinkedHashMap<>();
        for (History.Operation op : prefix) {
            if (endAt(op, cut) < start) {
                before.put(op.process(), op);
            }
        }
        StringBuilder sb = new StringBuilder("the history up to the end of #").append(last.id())
                .append(" cannot be linearized")
                .append(!exact ? " (earlier cuts were undecided)"
                        : hi == 0 ? " (the first end seen)" : ", up to the end of #" + ends.get(hi - 1).id() + " it can")
                .append("; the smallest window, ending with #").append(last.id())
                .append(" (with each process's operation just before it):");
        for (History.Operation op : prefix) {
            if (endAt(op, cut) >= start || before.get(op.process()) == op) {
                sb.append("\n  ").append(op).append(endAt(op, cut) == Long.MAX_VALUE && op.outcome() == History.Outcome.OK
                        ? "  [still open when #" + last.id() + " ended]" : "");
            }
        }
        return sb.toString();
    }

    /** {@return the operations of {@code ops} invoked before {@code cut}} */
    private static List<History.Operation> before(List<History.Operation> ops, long cut) {
        return ops.stream().filter(op -> op.invokeSequence() < cut).toList();
    }

    /** {@return whether {@code a} and {@code b} overlap in a history cut at {@code cut}} */
    private static boolean overlaps(History.Operation a, History.Operation b, long cut) {
        return a.invokeSequence() < endAt(b, cut) && endAt(a, cut) > b.invokeSequence();
    }

    /** {@return where {@code op} ends in a history cut at {@code cut}: never, if it was still open there} */
    private static long endAt(History.Operation op, long cut) {
        return op.outcome() == History.Outcome.OK && op.endSequence() < cut ? op.endSequence() : Long.MAX_VALUE;
    }

    /** A partition key, null allowed. */
    private record Key(Object value) {}

    /** One entry of the search's list: an operation's invocation or its end. */
    private static final class Entry {
        final History.Operation op;
        final int index; // of the operation in its part
        final boolean call;
        final boolean open; // an end that was never seen: may be placed anywhere, or never
        Entry match;
        Entry prev;
        Entry next;

        Entry(History.Operation op, int index, boolean call, boolean open) {
            this.op = op;
            this.index = index;
            this.call = call;
            this.open = open;
        }
    }

    private static final class Search<S> {
        private final Model<S> model;
        private final List<History.Operation> ops;
        private final Entry head = new Entry(null, -1, false, false);

        private final long maxSteps;
        private final long cut;
        boolean exhausted;

        /** A search of {@code ops}, of which those that end at or after {@code cut} count as open. */
        Search(Model<S> model, List<History.Operation> ops, long maxSteps, long cut) {
            this.model = model;
            this.ops = ops;
            this.maxSteps = maxSteps;
            this.cut = cut;
            // Invocations and ends in recorded order; an end never seen goes last.
            List<Entry> entries = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) {
                History.Operation op = ops.get(i);
                boolean open = endAt(op, cut) == Long.MAX_VALUE;
                Entry call = new Entry(op, i, true, open);
                Entry ret = new Entry(op, i, false, open);
                call.match = ret;
                entries.add(call);
                entries.add(ret);
            }
            entries.sort((a, b) -> Long.compare(sequenceOf(a), sequenceOf(b)));
            Entry last = head;
            for (Entry e : entries) {
                last.next = e;
                e.prev = last;
                last = e;
            }
        }

        private static long sequenceOf(Entry e) {
            return e.call ? e.op.invokeSequence() : e.open ? Long.MAX_VALUE : e.op.endSequence();
        }

        /** {@return null if the part is linearizable, else what went wrong} */
        String run() {
            record Placed(Entry entry, Object state) {}
            record Seen(BitSet placed, Object state) {}
            Set<Seen> cache = new HashSet<>();
            Deque<Placed> stack = new ArrayDeque<>();
            BitSet placed = new BitSet(ops.size());
            S state = model.initial();
            int deepest = -1;
            Entry stuckAt = null;
            Object stateAtDeepest = state;
            Entry entry = head.next;
            long steps = 0;
            while (head.next != null) {
                if (++steps > maxSteps) {
                    exhausted = true;
                    return null;
                }
                if (entry == null || (!entry.call && entry.open)) {
                    return null; // only operations of unknown outcome are left: they need not take effect
                }
                if (entry.call) {
                    Entry ret = entry.match;
                    S next = model.step(state, entry.op.input(), ret.open ? null : entry.op.output(), !ret.open);
                    if (next != null) {
                        BitSet withIt = (BitSet) placed.clone();
                        withIt.set(entry.index);
                        if (cache.add(new Seen(withIt, next))) {
                            stack.push(new Placed(entry, state));
                            placed = withIt;
                            state = next;
                            lift(entry);
                            entry = head.next;
                            continue;
                        }
                    }
                    entry = entry.next;
                } else {
                    if (placed.cardinality() > deepest) {
                        deepest = placed.cardinality();
                        stuckAt = entry;
                        stateAtDeepest = state;
                    }
                    if (stack.isEmpty()) {
                        return explain(stuckAt, stateAtDeepest, deepest);
                    }
                    Placed top = stack.pop();
                    @SuppressWarnings("unchecked")
                    S previous = (S) top.state();
                    state = previous;
                    placed = (BitSet) placed.clone();
                    placed.clear(top.entry().index);
                    unlift(top.entry());
                    entry = top.entry().next;
                }
            }
            return null;
        }

        private String explain(Entry stuck, Object state, int placedCount) {
            History.Operation op = stuck.op;
            StringBuilder sb = new StringBuilder();
            sb.append("in all of them, no order places ").append(op)
                    .append(" before it ended; the furthest the search got placed ").append(placedCount)
                    .append(" of ").append(ops.size()).append(" operations, in state ").append(state)
                    .append(". The operations concurrent with it:");
            for (History.Operation other : ops) {
                if (overlaps(other, op, cut)) {
                    sb.append("\n  ").append(other);
                }
            }
            return sb.toString();
        }

        private static void lift(Entry call) {
            unlink(call);
            unlink(call.match);
        }

        private static void unlink(Entry e) {
            e.prev.next = e.next;
            if (e.next != null) {
                e.next.prev = e.prev;
            }
        }

        private static void unlift(Entry call) {
            relink(call.match);
            relink(call);
        }

        private static void relink(Entry e) {
            e.prev.next = e;
            if (e.next != null) {
                e.next.prev = e;
            }
        }
    }
}
