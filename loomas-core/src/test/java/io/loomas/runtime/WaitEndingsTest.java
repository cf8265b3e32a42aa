package io.loomas.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.runtime.internal.CurrentTask;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ways a wait ends, as the Javadoc of each synchronizer lists them, tried on all five: its
 * condition, the caller's cancellation (delivered once, and at once even when the condition holds),
 * a timeout on the caller's clock, and an interrupt of a thread outside any loop. A wait that fails
 * takes nothing.
 */
class WaitEndingsTest {

    /**
     * One synchronizer in a state where a wait would block, with what makes the wait succeed.
     *
     * @param await waits without a limit
     * @param timed waits at most the given time
     * @param satisfy makes the condition hold (frees the lock, adds a permit or element, sets, completes)
     * @param untouched whether nothing was taken: the lock is free, the permit or element still there
     */
    record Wait(String name, Runnable await, Consumer<Duration> timed, Runnable satisfy, Supplier<Boolean> untouched) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Supplier<Wait>> waits() {
        return Stream.of(
                () -> {
                    Lock lock = new Lock();
                    Event release = new Event();
                    Runnable satisfy;
                    if (CurrentTask.get() != null) {
                        Task<?> owner = Loop.current().spawn("owner", () -> {
                            lock.lock();
                            release.await();
                            lock.unlock();
                            return null;
                        });
                        Loop.yieldNow(); // the owner takes the lock
                        satisfy = () -> {
                            release.set();
                            owner.await();
                        };
                    } else {
                        lock.lock(); // held by this thread, outside any loop
                        satisfy = lock::unlock;
                    }
                    return new Wait("lock", lock::lock, lock::lock, satisfy, () -> {
                        boolean free = lock.tryLock();
                        if (free) {
                            lock.unlock();
                        }
                        return free;
                    });
                },
                () -> {
                    Semaphore s = new Semaphore(0);
                    return new Wait("semaphore", s::acquire, s::acquire, s::release, s::tryAcquire);
                },
                () -> {
                    Event e = new Event();
                    return new Wait("event", e::await, e::await, e::set, () -> true);
                },
                () -> {
                    Queue<String> q = new Queue<>();
                    return new Wait("queue", q::take, q::take, () -> q.put("x"), () -> "x".equals(q.poll()));
                },
                () -> {
                    Promise<String> p = new Promise<>();
                    return new Wait("future", p::await, p::await, () -> p.complete("x"), p::isDone);
                });
    }

    private static LoopOptions virtual() {
        return LoopOptions.DEFAULT.withClock(new VirtualClock());
    }

    @ParameterizedTest(name = "[{index}]")
    @MethodSource("waits")
    void aWaitEndsWhenItsConditionHolds(Supplier<Wait> make) {
        Loop.run(virtual(), () -> {
            Wait w = make.get();
            Task<Void> waiter = Loop.current().spawn("waiter", () -> {
                w.await().run();
                return null;
            });
            Loop.yieldNow();
            assertThat(waiter.isDone()).as("%s blocks", w).isFalse();
            w.satisfy().run();
            waiter.await(Duration.ofSeconds(1));
            return null;
        });
    }

    @ParameterizedTest(name = "[{index}]")
    @MethodSource("waits")
    void aPendingCancellationFailsTheWaitAtOnceEvenIfItNeedNotWaitAndIsDeliveredOnce(Supplier<Wait> make) {
        Loop.run(virtual(), () -> {
            Wait w = make.get();
            w.satisfy().run();
            Task<Object> task = Loop.current().spawn("cancelled", () -> {
                Task.current().cancel();
                Throwable first = null;
                try {
                    w.await().run();
                } catch (CancelledException e) {
                    first = e;
                }
                boolean nothingTaken = w.untouched().get();
                w.satisfy().run();
                w.await().run(); // delivered once: the cleanup may wait
                return first != null && nothingTaken;
            });
            assertThat(task.await()).as("%s: cancelled at once, took nothing, then waited again", w).isEqualTo(true);
            return null;
        });
    }

    @ParameterizedTest(name = "[{index}]")
    @MethodSource("waits")
    void aTimedWaitEndsOnTheLoopsClockAndTakesNothing(Supplier<Wait> make) {
        Loop.run(virtual(), () -> {
            Wait w = make.get();
            Clock clock = Loop.current().clock();
            assertThatThrownBy(() -> w.timed().accept(Duration.ofHours(2))).isInstanceOf(TimeoutException.class);
            assertThat(clock.now()).as("%s: two virtual hours, no wall time", w).isEqualTo(Duration.ofHours(2));
            w.satisfy().run();
            assertThat(w.untouched().get()).as("%s: the timed-out wait took nothing", w).isTrue();
            return null;
        });
    }

    @ParameterizedTest(name = "[{index}]")
    @MethodSource("waits")
    void aThreadOutsideAnyLoopStopsWaitingWhenInterrupted(Supplier<Wait> make) throws Exception {
        Wait w = make.get();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                w.timed().accept(Duration.ofHours(1));
            } catch (Throwable e) {
                outcome.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        while (waiter.getState() != Thread.State.TIMED_WAITING && waiter.getState() != Thread.State.WAITING) {
            Thread.onSpinWait(); // until it parks
        }
        waiter.interrupt();
        waiter.join(Duration.ofSeconds(10));
        assertThat(waiter.isAlive()).as("%s: the interrupted waiter returned", w).isFalse();
        assertThat(outcome.get()).isInstanceOf(CancelledException.class).hasCauseInstanceOf(InterruptedException.class);
        assertThat(stillInterrupted.get()).isFalse();
    }
}
