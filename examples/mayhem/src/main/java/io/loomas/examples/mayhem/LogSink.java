package io.loomas.examples.mayhem;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the service's log lines go: slf4j when it runs, a list when a test wants to compare them.
 * Injected rather than read back from a logging backend, so tests do not depend on its internals.
 */
public interface LogSink {

    void info(String line);

    void error(String line);

    /** {@return a sink that logs to slf4j under the logger {@code mayhem}} */
    static LogSink slf4j() {
        Logger log = LoggerFactory.getLogger("mayhem");
        return new LogSink() {
            @Override
            public void info(String line) {
                log.info(line);
            }

            @Override
            public void error(String line) {
                log.error(line);
            }
        };
    }

    /** Keeps every line as {@code "INFO: ..."} or {@code "ERROR: ..."}, in order. */
    final class Recording implements LogSink {
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void info(String line) {
            lines.add("INFO: " + line);
        }

        @Override
        public void error(String line) {
            lines.add("ERROR: " + line);
        }

        /** {@return a copy of the lines so far} */
        public List<String> lines() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }
    }
}
