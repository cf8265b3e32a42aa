package io.loomas.sim.check;

import io.loomas.runtime.Clock;
import io.loomas.sim.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The operations of a test, as clients saw them: each one invoked, then ended with its result
 * ({@link Call#ok}), known not to have happened ({@link Call#fail}), or with an unknown outcome
 * ({@link Call#info}: a timeout, a lost connection), for a {@link Linearizability} check.
 *
 * <p>Record an operation's invocation just before the client sends it and its end just after the
 * reply arrives: the order of the records is the real-time order the check relies on (an operation
 * that ended before another was invoked must take effect first). Each record also keeps the clock
 * time, for reports: virtual time in a simulation.
 *
 * {@snippet class="io.loomas.snippets.CheckSnippets" region="history"}
 *
 * <p>Thread-safe: clients on several threads or tasks may record at once.
 */
public final class History {
    private final Clock clock;
    private final List<Operation> operations = new ArrayList<>(); // guarded by this
    private long sequence; // guarded by this

    private History(Clock clock) {
        this.clock = clock;
    }

    /** {@return an empty history whose records keep the time of {@code clock}} */
    public static History on(Clock clock) {
        return new History(Objects.requireNonNull(clock, "clock"));
    }

    /**
     * Records that {@code process} invokes an operation with {@code input}.
     *
     * @param process who invokes it: a client, a node; one process has one operation open at a time
     * @param input what the operation is, as the model reads it (e.g. {@code Register.write(3)})
     * @return the call, to record its end on
     */
    public Call invoke(String process, Object input) {
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(input, "input");
        Operation op;
        synchronized (this) {
            op = new Operation(operations.size(), process, input, sequence++, clock.now());
            operations.add(op);
        }
        traced("invoke", op);
        return new Call(op);
    }

    /** {@return the operations recorded so far, in invocation order} */
    public synchronized List<Operation> operations() {
        return List.copyOf(operations);
    }

    private void end(Operation op, Outcome outcome, Object output) {
        synchronized (this) {
            if (op.outcome != null) {
                throw new IllegalStateException("operation " + op.id + " of " + op.process + " ended already: " + op);
            }
            op.outcome = outcome;
            op.output = output;
            op.endSequence = sequence++;
            op.endTime = clock.now();
        }
        traced(outcome.name().toLowerCase(java.util.Locale.ROOT), op);
    }

    /** In a simulation, each invocation and end is an {@code op} event of its trace, for the diagram. */
    private static void traced(String what, Operation op) {
        Simulation sim = Simulation.current();
        if (sim != null) {
            sim.trace("op", op.process + " " + what + " #" + op.id + " " + op.input
                    + (what.equals("ok") ? " -> " + op.output : ""));
        }
    }

    /** How an operation ended. */
    public enum Outcome {
        /** It happened, with the recorded output. */
        OK,
        /** It certainly did not happen (the request was refused before it took effect). */
        FAIL,
        /** It may or may not have happened: its output is unknown. */
        INFO
    }

    /** An invoked operation whose end is still to be recorded. */
    public final class Call {
        private final Operation op;

        private Call(Operation op) {
            this.op = op;
        }

        /** Records that the operation happened and returned {@code output} (may be {@code null}). */
        public void ok(Object output) {
            end(op, Outcome.OK, output);
        }

        /** Records that the operation certainly did not happen. */
        public void fail() {
            end(op, Outcome.FAIL, null);
        }

        /** Records that the outcome is unknown: it may have happened, at any time after its invocation. */
        public void info() {
            end(op, Outcome.INFO, null);
        }
    }

    /** One operation: its invocation and, once recorded, how it ended. */
    public static final class Operation {
        private final int id;
        private final String process;
        private final Object input;
        private final long invokeSequence;
        private final Duration invokeTime;
        private volatile Outcome outcome; // null while open
        private volatile Object output;
        private volatile long endSequence = Long.MAX_VALUE;
        private volatile Duration endTime;

        Operation(int id, String process, Object input, long invokeSequence, Duration invokeTime) {
            this.id = id;
            this.process = process;
            this.input = input;
            this.invokeSequence = invokeSequence;
            this.invokeTime = invokeTime;
        }

        /** {@return its number in invocation order, from 0} */
        public int id() {
            return id;
        }

        /** {@return who invoked it} */
        public String process() {
            return process;
        }

        /** {@return what it was} */
        public Object input() {
            return input;
        }

        /** {@return what it returned, or null (also for a FAIL or INFO outcome)} */
        public Object output() {
            return output;
        }

        /** {@return how it ended, or null while it is open (treated as INFO by a check)} */
        public Outcome outcome() {
            return outcome;
        }

        long invokeSequence() {
            return invokeSequence;
        }

        long endSequence() {
            return endSequence;
        }

        @Override
        public String toString() {
            Outcome o = outcome;
            String end = o == null ? "open" : o == Outcome.OK ? "ok " + output + " @" + endTime : o.name().toLowerCase(java.util.Locale.ROOT) + " @" + endTime;
            return "#" + id + " " + process + " " + input + " @" + invokeTime + " -> " + end;
        }
    }
}
