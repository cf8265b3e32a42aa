package io.loomas.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.runtime.internal.ForwardingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Cancellation that comes from a thread outside the loop, racing with the task it cancels. */
class CancellationTest {
    private static final Duration LONG = Duration.ofSeconds(5);

    /**
     * The system clock, except that scheduling a timer first runs {@code hook}: a timed wait
     * schedules its timeout after it has registered and before it gives up the loop, so the hook
     * runs at exactly that moment.
     */
    private static final class HookedClock extends ForwardingClock {
        private final Runnable hook;

        HookedClock(Runnable hook) {
            super(Clock.system());
            this.hook = hook;
        }

        @Override
        public TimerHandle schedule(Duration deadline, Runnable action) {
            hook.run();
            return super.schedule(deadline, action);
        }
    }

    @Test
    void aCancelArrivingWhileTheTaskIsAboutToWaitIsNotLost() throws Exception {
        AtomicReference<Task<?>> victim = new AtomicReference<>();
        Clock clock = new HookedClock(() -> {
            Thread canceller = Thread.ofVirtual().start(() -> victim.get().cancel());
            try {
                canceller.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        try (Loop loop = Loop.create(LoopOptions.DEFAULT.withClock(clock))) {
            Promise<String> never = new Promise<>();
            Task<String> t = loop.spawn("victim", () -> {
                victim.set(Task.current());
                return never.await(Duration.ofHours(1));
            });
            assertThatThrownBy(() -> t.await(LONG))
                    .isInstanceOf(CancelledException.class)
                    .hasMessage("task 'victim' was cancelled");
        }
    }

    @Test
    void shutdownFromAnotherThreadStopsTasksThatAreJustStartingToWait() throws Exception {
        Promise<Void> never = new Promise<>();
        for (int i = 0; i < 200; i++) {
            Loop loop = Loop.create();
            CountDownLatch started = new CountDownLatch(1);
            Task<Void> t = loop.spawn(() -> {
                started.countDown();
                return never.await();
            });
            started.await();
            assertThat(loop.shutdown(LONG)).as("shutdown in round %d finished in time", i).isTrue();
            assertThat(t.isCancelled()).isTrue();
        }
    }
}
