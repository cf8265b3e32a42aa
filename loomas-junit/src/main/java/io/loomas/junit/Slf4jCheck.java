package io.loomas.junit;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * Says, once per JVM, when the test classpath has no SLF4J provider: loomas reports slow tasks,
 * failures nobody looked at and its debug lines through SLF4J, and without a provider they vanish
 * (SLF4J's own three-line notice is easy to miss among a build's output).
 */
final class Slf4jCheck {
    private static final AtomicBoolean CHECKED = new AtomicBoolean();

    private Slf4jCheck() {}

    /** Prints the warning to standard error the first time it is called in a JVM without a provider. */
    static void warnOnceIfNoProvider() {
        if (CHECKED.compareAndSet(false, true)) {
            message(LoggerFactory.getILoggerFactory()).ifPresent(System.err::println);
        }
    }

    /** {@return the warning if {@code factory} is SLF4J's fallback that discards everything} */
    static Optional<String> message(ILoggerFactory factory) {
        if (!(factory instanceof NOPLoggerFactory)) {
            return Optional.empty();
        }
        return Optional.of("loomas-junit: no SLF4J provider on the test classpath, so what loomas reports (slow tasks,"
                + " failures nobody looked at, debug lines) goes nowhere. Add one with test scope, for example"
                + " org.slf4j:slf4j-simple (see \"Use loomas in your project\" in loomas' README).");
    }
}
