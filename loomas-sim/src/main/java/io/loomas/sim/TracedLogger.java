package io.loomas.sim;

import io.loomas.runtime.Task;
import io.loomas.runtime.internal.CurrentTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * An SLF4J logger that also writes its lines into the trace of the simulation it runs in, with the
 * virtual time and the task's name, so a trace reads with the application's own log lines.
 *
 * {@snippet class="io.loomas.snippets.SimSnippets" region="traced-logger"}
 *
 * <p>Outside a simulation it is the ordinary logger of that name: every line goes to the logging
 * backend as configured. Inside one, every level is recorded in the trace (whatever the backend
 * lets through, so traces do not depend on logging configuration). Thread-safe.
 */
public final class TracedLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    private final transient Logger delegate;

    private TracedLogger(Logger delegate) {
        this.delegate = delegate;
        this.name = delegate.getName();
    }

    /** {@return the traced logger named for {@code type}} */
    public static Logger getLogger(Class<?> type) {
        return new TracedLogger(LoggerFactory.getLogger(type));
    }

    /** {@return the traced logger named {@code name}} */
    public static Logger getLogger(String name) {
        return new TracedLogger(LoggerFactory.getLogger(name));
    }

    private static Simulation simulation() {
        Task<?> task = CurrentTask.get();
        return task == null ? null : Simulation.of(task.loop());
    }

    @Override
    public boolean isTraceEnabled() {
        return delegate.isTraceEnabled() || simulation() != null;
    }

    @Override
    public boolean isDebugEnabled() {
        return delegate.isDebugEnabled() || simulation() != null;
    }

    @Override
    public boolean isInfoEnabled() {
        return delegate.isInfoEnabled() || simulation() != null;
    }

    @Override
    public boolean isWarnEnabled() {
        return delegate.isWarnEnabled() || simulation() != null;
    }

    @Override
    public boolean isErrorEnabled() {
        return delegate.isErrorEnabled() || simulation() != null;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return TracedLogger.class.getName();
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
            Throwable throwable) {
        String message = MessageFormatter.basicArrayFormat(messagePattern, arguments);
        Simulation sim = simulation();
        if (sim != null) {
            sim.trace("log", level + " [" + Task.current().name() + "] " + name + ": " + message
                    + (throwable != null ? " (" + throwable + ")" : ""));
        }
        if (delegate.isEnabledForLevel(level)) {
            delegate.atLevel(level).addMarker(marker).setCause(throwable).log(message);
        }
    }
}
