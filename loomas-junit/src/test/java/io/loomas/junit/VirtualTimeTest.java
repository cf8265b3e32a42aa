package io.loomas.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.runtime.Clock;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import io.loomas.runtime.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code @LoomasTest(clock = VIRTUAL)}: clock time jumps when the loop is idle. */
@LoomasTest(clock = ClockKind.VIRTUAL)
class VirtualTimeTest {

    @Test
    void anHourOfSleepFinishesInWellUnderASecondOfWallTime(Clock clock) {
        long start = System.nanoTime();
        clock.sleep(Duration.ofHours(1));
        assertThat(clock.now()).isEqualTo(Duration.ofHours(1));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
    }

    @Test
    void sleepersWakeInTheOrderOfTheirDeadlines(Loop loop, Clock clock) {
        List<String> woke = new ArrayList<>();
        List<Task<Void>> sleepers = new ArrayList<>();
        for (int minutes : new int[] {30, 10, 20}) {
            sleepers.add(loop.spawn("sleeper-" + minutes, () -> {
                clock.sleep(Duration.ofMinutes(minutes));
                woke.add(minutes + "m at " + clock.now());
                return null;
            }));
        }
        sleepers.forEach(Task::await);
        assertThat(woke).containsExactly("10m at PT10M", "20m at PT20M", "30m at PT30M");
    }

    @Test
    void theVirtualClockItselfCanBeInjected(VirtualClock time, Clock clock) {
        time.advance(Duration.ofSeconds(5));
        assertThat(clock.now()).isEqualTo(Duration.ofSeconds(5));
        assertThat(Loop.current().clock().now()).isEqualTo(Duration.ofSeconds(5));
    }
}
