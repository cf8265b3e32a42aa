package io.loomas.runtime;

import io.loomas.runtime.internal.Frames;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears, in debug mode, of a task that holds its loop longer than the slow-task threshold without
 * reaching a scheduling point; the default logs a warning with the task's stack. A test kit may
 * fail the test instead.
 *
 * {@snippet class="io.loomas.snippets.RuntimeSnippets" region="slow-task-handler"}
 *
 * <p>Called on the loop's watchdog thread, at most once per turn of a task; must be thread-safe and
 * should not block.
 */
@FunctionalInterface
public interface SlowTaskHandler {

    /** Handles one report. */
    void slowTask(Loop loop, Report report);

    /**
     * A task that has held its loop too long.
     *
     * @param taskName the task's name
     * @param held how long it had held the loop when it was seen
     * @param threshold the loop's slow-task threshold
     * @param blocked whether its thread was blocked (sleeping, waiting for I/O or another thread's
     *     lock) rather than computing: such a call belongs in {@link Loop#offload}
     * @param stack where the task was
     * @param creationSite where it was created (debug mode), or null
     */
    record Report(String taskName, Duration held, Duration threshold, boolean blocked, StackTraceElement[] stack, Throwable creationSite) {}

    /** {@return the default handler: a warning with the task's stack, in the loop's log} */
    static SlowTaskHandler logging() {
        return Logging.INSTANCE;
    }

    /** The default handler. */
    enum Logging implements SlowTaskHandler {
        INSTANCE;

        private static final Logger log = LoggerFactory.getLogger(Loop.class);

        @Override
        public void slowTask(Loop loop, Report report) {
            Throwable where = new Throwable("stack of task '" + report.taskName() + "'");
            where.setStackTrace(report.stack());
            log.warn("[{}] task '{}' has held the loop for {} ms without reaching a scheduling point (threshold {} ms{});"
                            + " blocking calls belong in loop.offload(...){}", loop.name(), report.taskName(),
                    report.held().toMillis(), report.threshold().toMillis(), report.blocked() ? ", its thread is blocked" : "",
                    report.creationSite() != null ? "; task created at " + Frames.placeOf(report.creationSite(), Frames::isRuntime) : "",
                    where);
        }
    }
}
