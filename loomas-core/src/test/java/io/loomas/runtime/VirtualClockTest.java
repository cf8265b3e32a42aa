package io.loomas.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class VirtualClockTest {

    private static LoopOptions virtual(VirtualClock clock) {
        return LoopOptions.DEFAULT.withClock(clock);
    }

    @Test
    void anHourOfSleepTakesNoWallTime() {
        VirtualClock clock = new VirtualClock();
        long start = System.nanoTime();
        Duration slept = Loop.run(virtual(clock), () -> {
            clock.sleep(Duration.ofHours(1));
            return clock.now();
        });
        assertThat(slept).isEqualTo(Duration.ofHours(1));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void sleepersWakeInDeadlineOrderAtTheirOwnTimes() {
        VirtualClock clock = new VirtualClock();
        List<String> woke = new ArrayList<>();
        Loop.run(virtual(clock), () -> {
            Loop loop = Loop.current();
            List<Task<?>> tasks = new ArrayList<>();
            for (int minutes : new int[] {30, 10, 20, 10}) {
                tasks.add(loop.spawn(() -> {
                    clock.sleep(Duration.ofMinutes(minutes));
                    woke.add(minutes + "m at " + clock.now());
                    return null;
                }));
            }
            Future.all(tasks).await();
            return null;
        });
        assertThat(woke).containsExactly("10m at PT10M", "10m at PT10M", "20m at PT20M", "30m at PT30M");
    }

    @Test
    void timeoutsPassInVirtualTime() {
        VirtualClock clock = new VirtualClock();
        Loop.run(virtual(clock), () -> {
            Promise<String> never = new Promise<>();
            assertThatThrownBy(() -> never.await(Duration.ofDays(1))).isInstanceOf(TimeoutException.class);
            assertThat(clock.now()).isEqualTo(Duration.ofDays(1));
            return null;
        });
    }

    @Test
    void timeStandsStillWhileATaskCanRun() {
        VirtualClock clock = new VirtualClock();
        Loop.run(virtual(clock), () -> {
            Task<Duration> sleeper = Loop.current().spawn(() -> {
                clock.sleep(Duration.ofSeconds(5));
                return clock.now();
            });
            for (int i = 0; i < 100; i++) {
                Loop.yieldNow(); // the main task is always ready: the loop is never idle
            }
            assertThat(clock.now()).isEqualTo(Duration.ZERO);
            assertThat(sleeper.await()).isEqualTo(Duration.ofSeconds(5));
            return null;
        });
    }

    @Test
    void offloadedWorkInFlightHoldsTimeStill() {
        VirtualClock clock = new VirtualClock();
        Loop.run(virtual(clock), () -> {
            Loop loop = Loop.current();
            CountDownLatch release = new CountDownLatch(1);
            Task<Duration> sleeper = loop.spawn(() -> {
                clock.sleep(Duration.ofSeconds(1));
                return clock.now();
            });
            Future<Duration> work = loop.offload(() -> {
                release.await();
                return clock.now();
            });
            loop.spawn(() -> {
                Loop.runUntilIdle();
                release.countDown();
                return null;
            });
            assertThat(work.await()).isEqualTo(Duration.ZERO); // the sleeper's timer did not fire first
            assertThat(sleeper.await()).isEqualTo(Duration.ofSeconds(1));
            return null;
        });
    }

    @Test
    void callLaterRunsAtItsVirtualTime() {
        VirtualClock clock = new VirtualClock();
        Duration fired = Loop.run(virtual(clock), () -> {
            Promise<Duration> at = new Promise<>();
            clock.callLater(Duration.ofMinutes(3), () -> at.complete(clock.now()));
            return at.await();
        });
        assertThat(fired).isEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void advanceFiresDueTimersAndRejectsGoingBack() {
        VirtualClock clock = new VirtualClock();
        List<Integer> fired = new ArrayList<>();
        clock.schedule(Duration.ofSeconds(2), () -> fired.add(2));
        clock.schedule(Duration.ofSeconds(1), () -> fired.add(1));
        assertThat(clock.pendingTimers()).isEqualTo(2);
        assertThat(clock.nextDeadline()).isEqualTo(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(5));
        assertThat(fired).containsExactly(1, 2);
        assertThat(clock.now()).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).hasMessageContaining("must not be negative");
        clock.schedule(Duration.ZERO, () -> fired.add(0)); // in the past: fires at once
        assertThat(fired).containsExactly(1, 2, 0);
    }

    /**
     * The timers due by an advance fire in deadline order, then in the order they were scheduled,
     * one at a time: one that an earlier one cancels does not fire, one that an earlier one
     * schedules for a later time waits for it, one that throws does not stop the others.
     */
    @Test
    void dueTimersFireInOrderAndSeeWhatEarlierOnesDid() {
        VirtualClock clock = new VirtualClock();
        List<String> fired = new ArrayList<>();
        TimerHandle[] victim = new TimerHandle[1];
        clock.schedule(Duration.ofSeconds(1), () -> {
            fired.add("1a");
            assertThat(victim[0].cancel()).isTrue();
            clock.schedule(Duration.ofSeconds(9), () -> fired.add("9"));
            clock.schedule(Duration.ofSeconds(1), () -> fired.add("now")); // due already: at once
        });
        clock.schedule(Duration.ofSeconds(1), () -> {
            fired.add("1b");
            throw new IllegalStateException("boom");
        });
        victim[0] = clock.schedule(Duration.ofSeconds(2), () -> fired.add("cancelled"));
        clock.schedule(Duration.ofSeconds(2), () -> fired.add("2"));
        for (int i = 0; i < 1000; i++) { // many due at one instant, as frames in flight on a simulated link
            int n = i;
            clock.schedule(Duration.ofSeconds(3), () -> fired.add("3." + n));
        }
        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(5))).hasMessage("boom");
        assertThat(fired.subList(0, 4)).containsExactly("1a", "now", "1b", "2");
        assertThat(fired.subList(4, fired.size())).hasSize(1000).startsWith("3.0", "3.1").endsWith("3.999");
        assertThat(clock.pendingTimers()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(4));
        assertThat(fired).endsWith("9");
    }

    @Test
    void runUntilIdleRunsEveryReadyTaskUntilAllWait() {
        List<String> log = new ArrayList<>();
        Loop.run(() -> {
            Loop loop = Loop.current();
            Queue<String> queue = new Queue<>();
            loop.spawn(() -> {
                while (true) {
                    log.add("got " + queue.take());
                }
            });
            loop.spawn(() -> {
                for (int i = 0; i < 3; i++) {
                    queue.put("m" + i);
                    Loop.yieldNow();
                }
                return null;
            });
            assertThat(log).isEmpty();
            Loop.runUntilIdle();
            assertThat(log).containsExactly("got m0", "got m1", "got m2");
            return null;
        });
    }
}
