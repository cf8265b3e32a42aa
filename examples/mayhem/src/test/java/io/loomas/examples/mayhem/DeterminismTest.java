package io.loomas.examples.mayhem;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.agent.Container;
import io.loomas.agent.ContainerOptions;
import io.loomas.runtime.Loop;
import io.loomas.runtime.LoopOptions;
import io.loomas.runtime.VirtualClock;
import io.loomas.transport.Address;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Virtual time and a fixed seed make a run of the whole service repeatable, line for line. */
class DeterminismTest {

    private static List<String> tenMinutesOfMayhem(long seed) {
        LogSink.Recording log = new LogSink.Recording();
        Loop.run(LoopOptions.DEFAULT.withClock(new VirtualClock()), () -> {
            try (Container container = Container.create(Address.local("mayhem-determinism"), ContainerOptions.DEFAULT)) {
                MayhemService service = MayhemService.inProcess(container, new Random(seed), log);
                service.start();
                container.clock().sleep(Duration.ofMinutes(10));
                service.shutdown(null);
            }
            return null;
        });
        return log.lines();
    }

    @Test
    void tenMinutesWithTheSameSeedLogTheSameLines() {
        long start = System.nanoTime();
        List<String> first = tenMinutesOfMayhem(42);
        List<String> second = tenMinutesOfMayhem(42);

        assertThat(second).isEqualTo(first);
        assertThat(first).hasSizeGreaterThan(1000)
                .anyMatch(l -> l.startsWith("ERROR: Retrying for failure to restart: "))
                .anyMatch(l -> l.startsWith("ERROR: Handling general error: "))
                .anyMatch(l -> l.startsWith("INFO: Done. Acked "))
                .endsWith("INFO: Flushing metrics");
        assertThat(tenMinutesOfMayhem(43)).isNotEqualTo(first);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }
}
