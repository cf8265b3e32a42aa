package io.loomas.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** On a deterministic loop nothing outside the loop decides when something happens. */
class DeterministicLoopTest {

    /** Spawns a task that fails with nobody looking, lets it fail, and returns a weak reference to it. */
    private static WeakReference<Task<?>> forgottenFailure(Loop loop) {
        return loop.spawn("main", () -> {
            WeakReference<Task<?>> ref = new WeakReference<>(Loop.current().spawn("forgotten", () -> {
                throw new IllegalStateException("nobody looks");
            }));
            Loop.yieldNow(); // it runs and fails
            return ref;
        }).await();
    }

    private static void collect(WeakReference<?> ref) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (ref.get() != null && System.nanoTime() < deadline) {
            System.gc();
        }
        assertThat(ref.get()).as("the task was collected").isNull();
    }

    @Test
    void onAnOrdinaryLoopTheCollectorReportsAForgottenFailure() {
        Promise<UncaughtFailure> reported = new Promise<>();
        try (Loop loop = Loop.create(LoopOptions.DEFAULT.withExceptionHandler((l, f) -> reported.complete(f)))) {
            collect(forgottenFailure(loop));
            assertThat(reported.await(Duration.ofSeconds(20)).message()).contains("Task 'forgotten' failed");
        }
    }

    @Test
    void onADeterministicLoopOnlyTheLoopReportsItWhenAskedNeverTheCollector() {
        List<UncaughtFailure> reported = new CopyOnWriteArrayList<>();
        Promise<Void> any = new Promise<>();
        LoopOptions options = LoopOptions.DEFAULT.withDeterministic(true).withExceptionHandler((l, f) -> {
            reported.add(f);
            any.complete(null);
        });
        try (Loop loop = Loop.create(options)) {
            collect(forgottenFailure(loop));
            // The collector had its chance (the ordinary loop above is reported within milliseconds).
            assertThat(any.isDone() || awaitsQuietly(any, Duration.ofSeconds(1))).isFalse();
            loop.reportUnretrievedFailures();
            assertThat(reported).singleElement().satisfies(f -> assertThat(f.taskName()).isEqualTo("forgotten"));
        }
    }

    private static boolean awaitsQuietly(Future<?> f, Duration timeout) {
        try {
            f.await(timeout);
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    @Test
    void offloadIsRefusedOnADeterministicLoopOnly() {
        Loop.run(LoopOptions.DEFAULT.withDeterministic(true), () -> {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Loop.current().offload(() -> 1))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("refused in a deterministic simulation");
            return null;
        });
        assertThat(Loop.run(() -> Loop.current().offload(() -> 1).await())).isEqualTo(1);
    }
}
