package io.loomas.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SystemClockTest {
    private final Clock clock = Clock.system();

    @Test
    void theSystemClockIsSharedAndIsTheDefaultLoopClock() {
        assertThat(Clock.system()).isSameAs(clock);
        try (Loop loop = Loop.create()) {
            assertThat(loop.clock()).isSameAs(clock);
        }
    }

    @Test
    void nowNeverGoesBackwards() {
        Duration previous = clock.now();
        for (int i = 0; i < 10_000; i++) {
            Duration next = clock.now();
            assertThat(next).isGreaterThanOrEqualTo(previous);
            previous = next;
        }
    }

    @Test
    void utcNowFollowsTheSystemDate() {
        Instant before = Instant.now();
        Instant now = clock.utcNow();
        Instant after = Instant.now();
        assertThat(now).isBetween(before, after);
    }

    @Test
    void sleepWaitsAtLeastTheDelay() {
        long elapsedNanos = Loop.run(() -> {
            long start = System.nanoTime();
            clock.sleep(Duration.ofMillis(15));
            return System.nanoTime() - start;
        });
        assertThat(elapsedNanos).isGreaterThanOrEqualTo(Duration.ofMillis(15).toNanos());
    }

    @Test
    void sleepUntilWaitsUntilTheClockReachesTheTime() {
        Loop.run(() -> {
            Duration until = clock.now().plusMillis(15);
            clock.sleepUntil(until);
            assertThat(clock.now()).isGreaterThanOrEqualTo(until);
            return null;
        });
    }

    @Test
    void sleepUntilAPastTimeReturnsAtOnce() {
        Loop.run(() -> {
            clock.sleepUntil(Duration.ZERO);
            clock.sleep(Duration.ZERO);
            return null;
        });
    }

    @Test
    void aNegativeDelayIsRejected() {
        Loop.run(() -> {
            assertThatThrownBy(() -> clock.sleep(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("delay must not be negative: PT-0.001S (expected: >= 0)");
            assertThatThrownBy(() -> clock.callLater(Duration.ofMillis(-1), () -> {}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("delay must not be negative");
            return null;
        });
    }

    @Test
    void sleepLetsOtherTasksRun() {
        List<String> events = new ArrayList<>();
        Loop.run(() -> {
            Task<Void> other = Loop.current().spawn(() -> {
                events.add("other runs");
                return null;
            });
            events.add("main sleeps");
            clock.sleep(Duration.ofMillis(5));
            events.add("main woke");
            other.await();
            return null;
        });
        assertThat(events).containsExactly("main sleeps", "other runs", "main woke");
    }

    @Test
    void aSleepingTaskCanBeCancelled() {
        Loop.run(() -> {
            Task<Void> sleeper = Loop.current().spawn(() -> {
                clock.sleep(Duration.ofHours(1));
                return null;
            });
            Loop.yieldNow();
            sleeper.cancel();
            assertThatThrownBy(sleeper::await).isInstanceOf(CancelledException.class);
            return null;
        });
    }

    @Test
    void callLaterRunsActionsInDeadlineOrderAsTasksOfTheLoop() {
        List<String> ran = Loop.run(() -> {
            Loop loop = Loop.current();
            Queue<String> q = new Queue<>();
            clock.callLater(Duration.ofMillis(30), () -> q.put("30ms"));
            clock.callLater(Duration.ofMillis(10), () -> q.put("10ms"));
            clock.callLater(Duration.ofMillis(20), () -> q.put("20ms on " + Loop.current().name()));
            return List.of(q.take(), q.take(), q.take(), loop.name());
        });
        assertThat(ran).containsExactly("10ms", "20ms on " + ran.get(3), "30ms", ran.get(3));
    }

    @Test
    void aCancelledTimerDoesNotFire() {
        List<String> ran = Loop.run(() -> {
            List<String> order = new ArrayList<>();
            Promise<Void> later = new Promise<>();
            TimerHandle h = clock.callLater(Duration.ofMillis(5), () -> order.add("cancelled"));
            clock.callLater(Duration.ofMillis(20), () -> later.complete(null));
            assertThat(h.cancel()).isTrue();
            assertThat(h.isCancelled()).isTrue();
            assertThat(h.cancel()).isFalse();
            later.await();
            return order;
        });
        assertThat(ran).isEmpty();
    }

    @Test
    void callLaterOutsideATaskIsRejected() {
        assertThatThrownBy(() -> clock.callLater(Duration.ofMillis(1), () -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not called from a task");
    }
}
