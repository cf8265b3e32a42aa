package io.loomas.runtime;

import io.loomas.runtime.internal.Frames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the failures of a loop that no code handled: a task failure nobody retrieved, a failed
 * timer callback, a connection handler that threw.
 *
 * <p>It may be called on any thread (a task, a timer thread, the garbage collector's cleaner), so
 * an implementation must be thread-safe and should not block; to react on the loop, spawn a task.
 */
@FunctionalInterface
public interface ExceptionHandler {

    /** Handles one failure. */
    void handle(Loop loop, UncaughtFailure failure);

    /** {@return the default handler: logs the failure at error level with the task's name and creation site} */
    static ExceptionHandler logging() {
        return LoggingHandler.INSTANCE;
    }

    /** The default handler. */
    enum LoggingHandler implements ExceptionHandler {
        INSTANCE;

        private static final Logger log = LoggerFactory.getLogger(Loop.class);

        @Override
        public void handle(Loop loop, UncaughtFailure failure) {
            if (failure.creationSite() != null) {
                Throwable site = failure.creationSite();
                log.error("[{}] {}; task created at {}", loop.name(), failure.message(),
                        Frames.placeOf(site, Frames::isRuntime), failure.error());
            } else {
                log.error("[{}] {}", loop.name(), failure.message(), failure.error());
            }
        }
    }
}
