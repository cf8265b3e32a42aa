package io.loomas.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.runtime.Loop;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class TracedLoggerTest {
    private static final Logger log = TracedLogger.getLogger(TracedLoggerTest.class);

    @Test
    void logLinesLandInTheTraceWithTheirVirtualTimeAndTask() {
        try (Simulation sim = Simulation.withSeed(5)) {
            sim.run(() -> {
                log.info("starting with {} nodes", 3);
                sim.clock().sleep(Duration.ofSeconds(2));
                Loop.current().spawn("worker", () -> {
                    log.debug("worker at {}", sim.clock().now());
                    return null;
                }).await();
                return null;
            });
            List<Trace.Event> logs = sim.trace().events().stream().filter(e -> e.kind().equals("log")).toList();
            assertThat(logs).extracting(Trace.Event::time).containsExactly(Duration.ZERO, Duration.ofSeconds(2));
            assertThat(logs.get(0).detail()).isEqualTo("INFO [main] " + TracedLoggerTest.class.getName() + ": starting with 3 nodes");
            assertThat(logs.get(1).detail()).isEqualTo("DEBUG [worker] " + TracedLoggerTest.class.getName() + ": worker at PT2S");
        }
    }

    @Test
    void outsideASimulationItIsAnOrdinaryLogger() {
        assertThat(log.getName()).isEqualTo(TracedLoggerTest.class.getName());
        assertThat(log.isDebugEnabled()).isFalse(); // the test logging configuration shows warnings only
        log.warn("an ordinary line, {}", "formatted");
        Loop.run(() -> {
            assertThat(log.isDebugEnabled()).isFalse(); // a task, but not a simulation's
            return null;
        });
    }
}
