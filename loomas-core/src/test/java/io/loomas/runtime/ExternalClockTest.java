package io.loomas.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExternalClockTest {
    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
    private static final Duration LONG = Duration.ofSeconds(10);

    private final ExternalClock clock = new ExternalClock(START);

    private static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    /** Spawns a task that sleeps until {@code time} and then records {@code name} as resumed. */
    private Task<Void> sleeper(Loop loop, String name, Duration time, List<String> resumed) {
        return loop.spawn(name, () -> {
            clock.sleepUntil(time);
            resumed.add(name);
            return null;
        });
    }

    /** Returns once every task spawned on {@code loop} before has run up to its first wait. */
    private static void awaitAllParked(Loop loop) {
        loop.spawn(() -> null).await(LONG);
    }

    @Test
    void timeStartsAtZeroOrTheGivenValueAndMovesOnlyOnSetTime() {
        assertThat(clock.now()).isZero();
        assertThat(new ExternalClock(START, s(42)).now()).isEqualTo(s(42));
        clock.setTime(s(5));
        assertThat(clock.now()).isEqualTo(s(5));
        assertThat(clock.now()).isEqualTo(s(5));
    }

    @Test
    void aSleepingTaskStaysAsleepUntilTimeIsSet() {
        try (Loop loop = Loop.create(LoopOptions.DEFAULT.withClock(clock))) {
            Task<Duration> t = loop.spawn(() -> {
                clock.sleep(s(3));
                return clock.now();
            });
            awaitAllParked(loop);
            assertThat(t.isDone()).isFalse();
            assertThat(clock.pendingTimers()).isEqualTo(1);
            clock.setTime(s(2));
            awaitAllParked(loop);
            assertThat(t.isDone()).isFalse();
            clock.setTime(s(3));
            assertThat(t.await(LONG)).isEqualTo(s(3));
        }
    }

    @Test
    void setTimeMustStrictlyIncreaseAndTheErrorNamesBothValues() {
        clock.setTime(s(5));
        assertThatThrownBy(() -> clock.setTime(s(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("time must increase: PT5S (expected: > PT5S)");
        assertThatThrownBy(() -> clock.setTime(s(4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("time must increase: PT4S (expected: > PT5S)");
        assertThat(clock.now()).isEqualTo(s(5));
    }

    @Test
    void utcNowIsTheStartDatePlusTheClockTime() {
        assertThat(clock.utcNow()).isEqualTo(START);
        clock.setTime(Duration.ofMillis(1500));
        assertThat(clock.utcNow()).isEqualTo(START.plusMillis(1500));
        assertThat(new ExternalClock(START, s(60)).utcNow()).isEqualTo(START.plusSeconds(60));
    }

    @Test
    void setTimeToADateMovesTheClockToThatDate() {
        Instant later = START.plusSeconds(90);
        assertThat(clock.timeOf(later)).isEqualTo(s(90));
        clock.setTime(later);
        assertThat(clock.now()).isEqualTo(s(90));
        assertThat(clock.utcNow()).isEqualTo(later);
    }

    @Test
    void sleepUntilNowOrEarlierIsRejected() {
        clock.setTime(s(5));
        Loop.run(LoopOptions.DEFAULT.withClock(clock), () -> {
            assertThatThrownBy(() -> clock.sleepUntil(s(5)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("date is in the past: PT5S (expected: > PT5S)");
            assertThatThrownBy(() -> clock.sleepUntil(s(1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("date is in the past: PT1S");
            return null;
        });
    }

    @Test
    void callAtNowOrEarlierIsRejected() {
        clock.setTime(s(5));
        Loop.run(LoopOptions.DEFAULT.withClock(clock), () -> {
            assertThatThrownBy(() -> clock.callAt(s(5), () -> {}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("date is in the past: PT5S (expected: > PT5S)");
            assertThat(clock.pendingTimers()).isZero();
            return null;
        });
    }

    @Test
    void sleepOfZeroOrLessIsRejected() {
        Loop.run(LoopOptions.DEFAULT.withClock(clock), () -> {
            assertThatThrownBy(() -> clock.sleep(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("delay must be positive: PT0S (expected: > 0)");
            assertThatThrownBy(() -> clock.sleep(s(-1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("delay must be positive: PT-1S");
            assertThatThrownBy(() -> clock.callLater(Duration.ZERO, () -> {}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("delay must be positive: PT0S");
            return null;
        });
    }

    @Test
    void sleepersResumeInDeadlineOrderAsTheTestThreadAdvancesTime() {
        List<String> resumed = Collections.synchronizedList(new ArrayList<>());
        try (Loop loop = Loop.create(LoopOptions.DEFAULT.withClock(clock))) {
            Task<Void> a = sleeper(loop, "a", s(3), resumed);
            Task<Void> b = sleeper(loop, "b", s(1), resumed);
            Task<Void> c = sleeper(loop, "c", s(2), resumed);
            Task<Void> d = sleeper(loop, "d", s(1), resumed);
            Task<Void> e = sleeper(loop, "e", s(3), resumed);
            awaitAllParked(loop);
            assertThat(clock.pendingTimers()).isEqualTo(5);

            clock.setTime(s(1));
            Future.all(List.of(b, d)).await(LONG);
            assertThat(resumed).containsExactly("b", "d");
            clock.setTime(s(2));
            c.await(LONG);
            clock.setTime(s(4));
            Future.all(List.of(a, e)).await(LONG);
        }
        assertThat(resumed).containsExactly("b", "d", "c", "a", "e");
    }

    @Test
    void sleepersResumeInDeadlineOrderAsATaskAdvancesTime() {
        List<String> resumed = Loop.run(LoopOptions.DEFAULT.withClock(clock), () -> {
            Loop loop = Loop.current();
            List<String> order = new ArrayList<>();
            List<Task<Void>> sleepers = List.of(
                    sleeper(loop, "a", s(3), order),
                    sleeper(loop, "b", s(1), order),
                    sleeper(loop, "c", s(2), order),
                    sleeper(loop, "d", s(1), order));
            Loop.yieldNow();
            clock.setTime(s(1));
            order.add("driver at 1s"); // the woken tasks run only once the driver gives up the loop
            Loop.yieldNow();
            clock.setTime(s(2));
            Loop.yieldNow();
            clock.setTime(s(3));
            Future.all(sleepers).await();
            return order;
        });
        assertThat(resumed).containsExactly("driver at 1s", "b", "d", "c", "a");
    }

    @Test
    void oneJumpPastSeveralDeadlinesFiresThemAllInOrder() {
        List<String> resumed = Collections.synchronizedList(new ArrayList<>());
        try (Loop loop = Loop.create(LoopOptions.DEFAULT.withClock(clock))) {
            List<Task<Void>> sleepers = List.of(
                    sleeper(loop, "a", s(3), resumed),
                    sleeper(loop, "b", s(1), resumed),
                    sleeper(loop, "c", s(2), resumed),
                    sleeper(loop, "d", s(1), resumed),
                    sleeper(loop, "e", s(3), resumed),
                    sleeper(loop, "late", s(100), resumed));
            awaitAllParked(loop);
            clock.setTime(s(50));
            Future.all(sleepers.subList(0, 5)).await(LONG);
            assertThat(sleepers.get(5).isDone()).isFalse();
        }
        assertThat(resumed).containsExactly("b", "d", "c", "a", "e");
    }

    @Test
    void timersWithEqualDeadlinesFireInTheOrderTheyWereScheduled() {
        List<Integer> fired = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            clock.schedule(s(1), () -> fired.add(n));
        }
        clock.setTime(s(1));
        assertThat(fired).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void aCancelledTimerDoesNotFire() {
        List<String> fired = new ArrayList<>();
        TimerHandle cancelled = clock.schedule(s(1), () -> fired.add("cancelled"));
        TimerHandle kept = clock.schedule(s(2), () -> fired.add("kept"));
        assertThat(cancelled.deadline()).isEqualTo(s(1));
        assertThat(cancelled.cancel()).isTrue();
        assertThat(cancelled.isCancelled()).isTrue();
        assertThat(cancelled.cancel()).isFalse();
        assertThat(clock.pendingTimers()).isEqualTo(1);
        clock.setTime(s(3));
        assertThat(fired).containsExactly("kept");
        assertThat(kept.isCancelled()).isFalse();
        assertThat(kept.cancel()).as("a timer that fired cannot be cancelled").isFalse();
    }

    @Test
    void aCancelledCallLaterDoesNotRun() {
        List<String> ran = Loop.run(LoopOptions.DEFAULT.withClock(clock), () -> {
            List<String> order = new ArrayList<>();
            Promise<Void> done = new Promise<>();
            TimerHandle h = clock.callLater(s(1), () -> order.add("cancelled"));
            clock.callLater(s(2), () -> done.complete(null));
            assertThat(h.cancel()).isTrue();
            clock.setTime(s(3));
            done.await();
            return order;
        });
        assertThat(ran).isEmpty();
    }

    @Test
    void callLaterRunsTheActionAsATaskOfTheLoop() {
        Loop.run(LoopOptions.DEFAULT.withClock(clock), () -> {
            Loop loop = Loop.current();
            Promise<Task<?>> ranIn = new Promise<>();
            Promise<Duration> ranAt = new Promise<>();
            TimerHandle h = clock.callLater(s(2), () -> {
                ranIn.complete(Task.current());
                ranAt.complete(clock.now());
            });
            assertThat(h.deadline()).isEqualTo(s(2));
            clock.setTime(s(2));
            Task<?> t = ranIn.await();
            assertThat(t.loop()).isSameAs(loop);
            assertThat(t).isNotSameAs(Task.current());
            assertThat(t.name()).isEqualTo("timer@PT2S");
            assertThat(ranAt.await()).isEqualTo(s(2));
            return null;
        });
    }

    @Test
    void callAtRunsTheActionsInDeadlineOrder() {
        List<String> ran = Loop.run(LoopOptions.DEFAULT.withClock(clock), () -> {
            Queue<String> q = new Queue<>();
            clock.callAt(s(3), () -> q.put("3s"));
            clock.callAt(s(1), () -> q.put("1s"));
            clock.callAt(s(2), () -> q.put("2s"));
            clock.setTime(s(5));
            return List.of(q.take(), q.take(), q.take());
        });
        assertThat(ran).containsExactly("1s", "2s", "3s");
    }

    @Test
    void awaitWithTimeoutPassesInTheClocksTime() {
        try (Loop loop = Loop.create(LoopOptions.DEFAULT.withClock(clock))) {
            Promise<String> never = new Promise<>();
            Task<String> waiter = loop.spawn(() -> never.await(LONG));
            awaitAllParked(loop);
            assertThat(clock.pendingTimers()).isEqualTo(1);
            clock.setTime(s(9));
            awaitAllParked(loop);
            assertThat(waiter.isDone()).isFalse();
            clock.setTime(s(11));
            assertThatThrownBy(() -> waiter.await(LONG))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageStartingWith("timed out after PT10S waiting for Promise[");
            assertThat(never.isDone()).isFalse();
        }
    }

    @Test
    void aThreadOutsideAnyLoopCanSleepOnTheClock() throws Exception {
        Promise<Duration> wokeAt = new Promise<>();
        Thread sleeper = Thread.ofVirtual().start(() -> {
            clock.sleep(s(2));
            wokeAt.complete(clock.now());
        });
        // the thread has registered its timer once one is pending; nothing else schedules here
        Promise<Void> registered = new Promise<>();
        Thread.ofVirtual().start(() -> {
            while (clock.pendingTimers() == 0) {
                Thread.yield();
            }
            registered.complete(null);
        });
        registered.await(LONG);
        clock.setTime(s(2));
        assertThat(wokeAt.await(LONG)).isEqualTo(s(2));
        sleeper.join();
    }

    @Test
    void aTimerActionThatThrowsDoesNotKeepLaterTimersFromFiring() {
        List<String> fired = new ArrayList<>();
        clock.schedule(s(1), () -> fired.add("first"));
        clock.schedule(s(2), () -> {
            throw new IllegalStateException("boom");
        });
        clock.schedule(s(3), () -> fired.add("third"));
        assertThatThrownBy(() -> clock.setTime(s(5)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("boom");
        assertThat(fired).containsExactly("first", "third");
        assertThat(clock.pendingTimers()).isZero();
    }
}
