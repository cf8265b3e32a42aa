package io.loomas.runtime;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The settings of a {@link Loop}. Immutable: each {@code withX} returns a copy with one setting
 * changed, starting from {@link #DEFAULT}.
 *
 * @param name the loop's name, used in thread names and logs; {@code null} for "loop-N"
 * @param clock the clock of the loop's tasks
 * @param scheduler makes the loop's scheduler (one per loop)
 * @param exceptionHandler receives failures nobody handled
 * @param debug whether tasks record where they were created and slow tasks are reported
 * @param slowTaskThreshold in debug mode, how long a task may hold the loop before a warning
 * @param slowTaskHandler in debug mode, hears of each task that held the loop past the threshold
 * @param deterministic whether the loop runs a deterministic simulation: then nothing outside the
 *     seed may decide what happens when, so a failure nobody looked at is reported only by
 *     {@link Loop#reportUnretrievedFailures()} and shutdown (never when the garbage collector finds
 *     its task), and {@link Loop#offload}, real transports and threads started by tasks are refused
 */
public record LoopOptions(
        String name,
        Clock clock,
        Supplier<? extends Scheduler> scheduler,
        ExceptionHandler exceptionHandler,
        boolean debug,
        Duration slowTaskThreshold,
        SlowTaskHandler slowTaskHandler,
        boolean deterministic) {

    /** System clock, FIFO scheduling, logging handler; debug mode if {@code -Dloomas.debug=true}. */
    public static final LoopOptions DEFAULT = new LoopOptions(null, Clock.system(), Scheduler::fifo,
            ExceptionHandler.logging(), Boolean.getBoolean("loomas.debug"), Duration.ofMillis(100), SlowTaskHandler.logging(), false);

    /** Checks the settings. */
    public LoopOptions {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(exceptionHandler, "exceptionHandler");
        Objects.requireNonNull(slowTaskThreshold, "slowTaskThreshold");
        Objects.requireNonNull(slowTaskHandler, "slowTaskHandler");
        if (slowTaskThreshold.isNegative() || slowTaskThreshold.isZero()) {
            throw new IllegalArgumentException(
                    "slowTaskThreshold must be positive: " + slowTaskThreshold + " (expected: > 0)");
        }
    }

    /** {@return a copy with the given name} */
    public LoopOptions withName(String name) {
        return new LoopOptions(name, clock, scheduler, exceptionHandler, debug, slowTaskThreshold, slowTaskHandler, deterministic);
    }

    /** {@return a copy with the given clock} */
    public LoopOptions withClock(Clock clock) {
        return new LoopOptions(name, clock, scheduler, exceptionHandler, debug, slowTaskThreshold, slowTaskHandler, deterministic);
    }

    /** {@return a copy with the given scheduler factory} */
    public LoopOptions withScheduler(Supplier<? extends Scheduler> scheduler) {
        return new LoopOptions(name, clock, scheduler, exceptionHandler, debug, slowTaskThreshold, slowTaskHandler, deterministic);
    }

    /** {@return a copy with the given exception handler} */
    public LoopOptions withExceptionHandler(ExceptionHandler exceptionHandler) {
        return new LoopOptions(name, clock, scheduler, exceptionHandler, debug, slowTaskThreshold, slowTaskHandler, deterministic);
    }

    /** {@return a copy with debug mode switched on or off} */
    public LoopOptions withDebug(boolean debug) {
        return new LoopOptions(name, clock, scheduler, exceptionHandler, debug, slowTaskThreshold, slowTaskHandler, deterministic);
    }

    /** {@return a copy with the given slow-task threshold (used in debug mode)} */
    public LoopOptions withSlowTaskThreshold(Duration slowTaskThreshold) {
        return new LoopOptions(name, clock, scheduler, exceptionHandler, debug, slowTaskThreshold, slowTaskHandler, deterministic);
    }

    /** {@return a copy with {@code slowTaskHandler}; see {@link #slowTaskHandler()}} */
    public LoopOptions withSlowTaskHandler(SlowTaskHandler slowTaskHandler) {
        return new LoopOptions(name, clock, scheduler, exceptionHandler, debug, slowTaskThreshold, slowTaskHandler, deterministic);
    }

    /** {@return a copy that runs a deterministic simulation or not; see {@link #deterministic()}} */
    public LoopOptions withDeterministic(boolean deterministic) {
        return new LoopOptions(name, clock, scheduler, exceptionHandler, debug, slowTaskThreshold, slowTaskHandler, deterministic);
    }
}
