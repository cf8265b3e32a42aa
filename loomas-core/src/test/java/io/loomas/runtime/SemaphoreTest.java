package io.loomas.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SemaphoreTest {
    private static final Duration LONG = Duration.ofSeconds(10);

    @Test
    void acquireAndReleaseCountPermits() {
        Semaphore s = new Semaphore(2);
        assertThat(s.availablePermits()).isEqualTo(2);
        s.acquire();
        s.acquire(LONG);
        assertThat(s.availablePermits()).isZero();
        assertThat(s).hasToString("Semaphore[permits=0]");
        s.release();
        assertThat(s.availablePermits()).isEqualTo(1);
    }

    @Test
    void tryAcquireTakesAFreePermitOnly() {
        Semaphore s = new Semaphore(1);
        assertThat(s.tryAcquire()).isTrue();
        assertThat(s.tryAcquire()).isFalse();
        assertThat(s.availablePermits()).isZero();
    }

    @Test
    void aNegativeNumberOfPermitsIsRejected() {
        assertThatThrownBy(() -> new Semaphore(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("permits must not be negative: -1");
    }

    @Test
    void releaseMayRaisePermitsAboveTheInitialCount() {
        Semaphore s = new Semaphore(0);
        s.release();
        s.release();
        assertThat(s.availablePermits()).isEqualTo(2);
    }

    @Test
    void acquireLetsOtherTasksRunWhileItWaits() {
        List<String> events = new ArrayList<>();
        Loop.run(() -> {
            Loop loop = Loop.current();
            Semaphore s = new Semaphore(0);
            Task<Void> waiter = loop.spawn(() -> {
                events.add("waiter asks");
                s.acquire();
                events.add("waiter got a permit");
                return null;
            });
            loop.spawn(() -> {
                events.add("releaser releases");
                s.release();
                return null;
            });
            waiter.await();
            return null;
        });
        assertThat(events).containsExactly("waiter asks", "releaser releases", "waiter got a permit");
    }

    @Test
    void theSemaphoreBoundsHowManyTasksAreInsideAtOnce() {
        int[] inside = {0};
        int[] most = {0};
        Loop.run(() -> {
            Loop loop = Loop.current();
            Semaphore s = new Semaphore(2);
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                tasks.add(loop.spawn(() -> {
                    s.acquire();
                    try {
                        inside[0]++;
                        most[0] = Math.max(most[0], inside[0]);
                        Loop.yieldNow();
                        inside[0]--;
                    } finally {
                        s.release();
                    }
                    return null;
                }));
            }
            Future.all(tasks).await();
            return null;
        });
        assertThat(most[0]).isEqualTo(2);
    }

    @Test
    void waitersGetPermitsInTheOrderTheyAsked() {
        List<String> order = new ArrayList<>();
        Loop.run(() -> {
            Loop loop = Loop.current();
            Semaphore s = new Semaphore(0);
            List<Task<Void>> waiters = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                waiters.add(loop.spawn(() -> {
                    s.acquire();
                    order.add(name);
                    return null;
                }));
            }
            Loop.yieldNow();
            s.release();
            s.release();
            s.release();
            Future.all(waiters).await();
            return null;
        });
        assertThat(order).containsExactly("a", "b", "c");
    }

    @Test
    void acquireWithTimeoutThrowsNamingTheSemaphoreWhenTheTimeIsUp() {
        ExternalClock clock = new ExternalClock(Instant.EPOCH);
        Loop.run(LoopOptions.DEFAULT.withClock(clock), () -> {
            Semaphore s = new Semaphore(0);
            Task<Void> waiter = Loop.current().spawn(() -> {
                s.acquire(LONG);
                return null;
            });
            Loop.yieldNow();
            clock.setTime(Duration.ofSeconds(9));
            Loop.yieldNow();
            assertThat(waiter.isDone()).isFalse();
            clock.setTime(LONG);
            assertThatThrownBy(waiter::await)
                    .isInstanceOf(TimeoutException.class)
                    .hasMessage("timed out after PT10S waiting for a permit of Semaphore[permits=0]");
            return null;
        });
    }

    @Test
    void aCancelledWaiterNeverLosesThePermitItWasWokenFor() {
        Loop.run(() -> {
            Loop loop = Loop.current();
            Semaphore s = new Semaphore(0);
            Task<Void> first = loop.spawn(() -> {
                s.acquire();
                return null;
            });
            Task<String> second = loop.spawn(() -> {
                s.acquire();
                return "second";
            });
            Loop.yieldNow();
            s.release(); // wakes the first waiter...
            first.cancel(); // ...which is cancelled before it could run
            assertThatThrownBy(first::await).isInstanceOf(CancelledException.class);
            assertThat(second.await(LONG)).isEqualTo("second");
            assertThat(s.availablePermits()).isZero();
            return null;
        });
    }

    @Test
    void aWaiterThatTimedOutAfterBeingWokenPassesThePermitOn() {
        ExternalClock clock = new ExternalClock(Instant.EPOCH);
        Loop.run(LoopOptions.DEFAULT.withClock(clock), () -> {
            Loop loop = Loop.current();
            Semaphore s = new Semaphore(0);
            Task<Void> first = loop.spawn(() -> {
                s.acquire(LONG);
                return null;
            });
            Task<String> second = loop.spawn(() -> {
                s.acquire();
                return "second";
            });
            Loop.yieldNow();
            clock.setTime(LONG); // the first waiter times out...
            s.release(); // ...so the permit must go to the second
            assertThatThrownBy(first::await).isInstanceOf(TimeoutException.class);
            assertThat(second.await()).isEqualTo("second");
            return null;
        });
    }

    @Test
    void aThreadOutsideAnyLoopCanReleaseToATask() throws Exception {
        try (Loop loop = Loop.create()) {
            Semaphore s = new Semaphore(0);
            Task<String> task = loop.spawn(() -> {
                s.acquire();
                return "acquired";
            });
            Thread.ofVirtual().start(s::release).join();
            assertThat(task.await(LONG)).isEqualTo("acquired");
        }
    }
}
