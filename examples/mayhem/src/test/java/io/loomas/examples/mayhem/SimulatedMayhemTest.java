package io.loomas.examples.mayhem;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.sim.Simulation;
import io.loomas.sim.Trace;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The whole service, unchanged, inside the deterministic simulator: ten virtual minutes with one
 * seed give the same trace event for event, and the service's own log lines show in it.
 */
class SimulatedMayhemTest {

    static void tenMinutes(Simulation sim) {
        LogSink.Recording log = new LogSink.Recording();
        sim.run(() -> {
            var container = sim.container("mayhem");
            MayhemService service = MayhemService.inProcess(container, container.random(), log);
            service.start();
            container.clock().sleep(Duration.ofMinutes(10));
            service.shutdown("TERM");
            service.awaitStopped();
            for (String line : log.lines()) {
                sim.trace("log", line);
            }
            return null;
        });
    }

    @Test
    void tenVirtualMinutesOfTheServiceReplayExactly() {
        Simulation.checkDeterminism(42, SimulatedMayhemTest::tenMinutes);
    }

    @Test
    void theTraceCarriesTheServicesWork() {
        try (Simulation sim = Simulation.withSeed(42)) {
            tenMinutes(sim);
            assertThat(sim.clock().now()).isGreaterThanOrEqualTo(Duration.ofMinutes(10));
            assertThat(sim.trace().events()).extracting(Trace.Event::detail)
                    .anyMatch(d -> d.contains("Published message"))
                    .anyMatch(d -> d.contains("Done. Acked"))
                    .anyMatch(d -> d.contains("Received exit signal SIGTERM..."));
        }
    }
}
