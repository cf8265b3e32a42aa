package io.loomas.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoopTest {

    @Test
    void runRethrowsTheMainTaskFailure() {
        assertThatThrownBy(() -> Loop.run(() -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThatThrownBy(() -> Loop.run(() -> {
            throw new IOException("io");
        })).isInstanceOf(CompletionException.class).hasCauseInstanceOf(IOException.class);
    }

    @Test
    void tasksNeverRunAtTheSameTime() {
        AtomicInteger inside = new AtomicInteger();
        List<String> violations = Collections.synchronizedList(new ArrayList<>());
        int[] counter = {0};
        Loop.run(() -> {
            Loop loop = Loop.current();
            List<Task<?>> tasks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                tasks.add(loop.spawn(() -> {
                    for (int j = 0; j < 500; j++) {
                        if (inside.incrementAndGet() != 1) {
                            violations.add("two tasks inside at iteration " + j);
                        }
                        int v = counter[0]; // read-modify-write with no lock: safe between scheduling points
                        for (int spin = 0; spin < 50; spin++) {
                            Thread.onSpinWait();
                        }
                        counter[0] = v + 1;
                        inside.decrementAndGet();
                        if (j % 3 == 0) {
                            Loop.yieldNow();
                        } else {
                            // a future completed from outside the loop, as socket readers do
                            Promise<Void> p = new Promise<>();
                            Thread.ofVirtual().start(() -> p.complete(null));
                            p.await();
                        }
                    }
                    return null;
                }));
            }
            Future.all(tasks).await();
            return null;
        });
        assertThat(violations).isEmpty();
        assertThat(counter[0]).isEqualTo(20 * 500);
    }

    @Test
    void yieldLetsReadyTasksRunInOrder() {
        List<String> order = new ArrayList<>();
        Loop.run(() -> {
            Loop loop = Loop.current();
            loop.spawn(() -> order.add("a"));
            loop.spawn(() -> order.add("b"));
            order.add("main before yield");
            Loop.yieldNow();
            order.add("main after yield");
            return null;
        });
        assertThat(order).containsExactly("main before yield", "a", "b", "main after yield");
    }

    @Test
    void cancellingAWaitingTaskThrowsAtItsSchedulingPointAndCleanupMayAwait() {
        List<String> events = new ArrayList<>();
        Loop.run(() -> {
            Loop loop = Loop.current();
            Promise<String> never = new Promise<>();
            Task<String> t = loop.spawn("waiter", () -> {
                try {
                    return never.await();
                } catch (CancelledException e) {
                    events.add("cancelled: " + e.getMessage());
                    throw e;
                } finally {
                    loop.spawn(() -> "cleanup").await(); // awaiting in cleanup works
                    events.add("cleaned up");
                }
            });
            Loop.yieldNow();
            assertThat(t.cancel()).isTrue();
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class);
            assertThat(t.isCancelled()).isTrue();
            assertThat(t.cancel()).isFalse();
            return null;
        });
        assertThat(events).containsExactly("cancelled: task 'waiter' was cancelled", "cleaned up");
    }

    @Test
    void aTaskCancelledBeforeItStartsNeverRunsItsBody() {
        AtomicInteger runs = new AtomicInteger();
        Loop.run(() -> {
            Task<Integer> t = Loop.current().spawn(runs::incrementAndGet);
            t.cancel();
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class);
            return null;
        });
        assertThat(runs).hasValue(0);
    }

    @Test
    void cancellingARunningTaskTakesEffectAtItsNextSchedulingPoint() {
        List<String> events = new ArrayList<>();
        Loop.run(() -> {
            Task<?> self = Task.current();
            self.cancel();
            events.add("still running");
            try {
                Loop.yieldNow();
            } catch (CancelledException e) {
                events.add("cancelled at yield");
            }
            return null;
        });
        assertThat(events).containsExactly("still running", "cancelled at yield");
    }

    @Test
    void awaitWithTimeoutThrowsAndLeavesTheFuturePending() {
        Loop.run(() -> {
            Promise<String> p = new Promise<>();
            assertThatThrownBy(() -> p.await(Duration.ofMillis(20)))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("timed out after PT0.02S");
            assertThat(p.isDone()).isFalse();
            p.complete("late");
            assertThat(p.await(Duration.ofMillis(20))).isEqualTo("late");
            return null;
        });
    }

    @Test
    void awaitFromAThreadOutsideAnyLoopBlocksIt() throws Exception {
        try (Loop loop = Loop.create()) {
            Promise<String> gate = new Promise<>();
            Task<String> t = loop.spawn(() -> gate.await() + "!");
            Thread.ofVirtual().start(() -> gate.complete("hi"));
            assertThat(t.await()).isEqualTo("hi!");
        }
    }

    @Test
    void shutdownCancelsEveryTaskAndRejectsNewOnes() {
        Loop loop = Loop.create();
        Promise<Void> never = new Promise<>();
        List<Task<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tasks.add(loop.spawn(never::await));
        }
        assertThat(loop.tasks()).hasSize(5);
        assertThat(loop.shutdown(Duration.ofSeconds(5))).isTrue();
        assertThat(tasks).allMatch(Task::isCancelled);
        assertThat(loop.tasks()).isEmpty();
        assertThatThrownBy(() -> loop.spawn(() -> 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    void shutdownFromATaskCancelsTheOthers() {
        String result = Loop.run(() -> {
            Loop loop = Loop.current();
            Task<Void> other = loop.spawn(() -> new Promise<Void>().await());
            Loop.yieldNow();
            assertThat(loop.shutdown(Duration.ofSeconds(5))).isTrue();
            assertThat(other.isCancelled()).isTrue();
            return "done";
        });
        assertThat(result).isEqualTo("done");
    }

    @Test
    void aFailureNobodyRetrievedGoesToTheExceptionHandlerWhenTheLoopCloses() {
        List<UncaughtFailure> reported = Collections.synchronizedList(new ArrayList<>());
        LoopOptions options = LoopOptions.DEFAULT.withExceptionHandler((loop, f) -> reported.add(f)).withDebug(true);
        Loop.run(options, () -> {
            Loop loop = Loop.current();
            loop.spawn("forgotten", () -> {
                throw new IllegalStateException("nobody looks");
            });
            Task<Object> looked = loop.spawn("looked-at", () -> {
                throw new IllegalStateException("somebody looks");
            });
            Loop.yieldNow();
            assertThat(looked.exception()).hasMessage("somebody looks");
            return null;
        });
        assertThat(reported).hasSize(1);
        UncaughtFailure f = reported.get(0);
        assertThat(f.taskName()).isEqualTo("forgotten");
        assertThat(f.message()).contains("Task 'forgotten' failed and nobody retrieved its failure");
        assertThat(f.error()).hasMessage("nobody looks");
        assertThat(f.creationSite().getStackTrace()).anyMatch(e -> e.getClassName().equals(LoopTest.class.getName()));
    }

    @Test
    void aFailedTimerCallbackIsReportedAtOnce() {
        Promise<UncaughtFailure> reported = new Promise<>();
        LoopOptions options = LoopOptions.DEFAULT.withExceptionHandler((loop, f) -> reported.complete(f));
        UncaughtFailure f = Loop.run(options, () -> {
            Loop.current().clock().callLater(Duration.ofMillis(1), () -> {
                throw new IllegalArgumentException("in a timer");
            });
            return reported.await();
        });
        assertThat(f.error()).hasMessage("in a timer");
    }

    @Test
    void offloadRunsBlockingWorkWhileOtherTasksGoOn() {
        Loop.run(() -> {
            Loop loop = Loop.current();
            CountDownLatch release = new CountDownLatch(1);
            Future<String> blocking = loop.offload(() -> {
                release.await(); // a blocking JDK call, off the loop
                return "unblocked";
            });
            Task<String> other = loop.spawn(() -> {
                release.countDown(); // can only run because the offloaded work does not hold the loop
                return "ran";
            });
            assertThat(blocking.await()).isEqualTo("unblocked");
            assertThat(other.await()).isEqualTo("ran");
            return null;
        });
    }

    @Test
    void callbacksRunOnceTheFutureCompletes() {
        Promise<Integer> p = new Promise<>();
        List<Object> seen = new ArrayList<>();
        p.onComplete(f -> seen.add(f.result()));
        p.complete(7);
        p.onComplete(f -> seen.add("late " + f.result()));
        assertThat(seen).containsExactly(7, "late 7");
    }

    @Test
    void allCollectsValuesInOrderAndFailsOnTheFirstFailure() {
        Loop.run(() -> {
            Loop loop = Loop.current();
            List<Task<Integer>> ok = List.of(loop.spawn(() -> 1), loop.spawn(() -> 2), loop.spawn(() -> 3));
            assertThat(Future.all(ok).await()).containsExactly(1, 2, 3);
            Promise<Integer> never = new Promise<>();
            Task<Integer> bad = loop.spawn(() -> {
                throw new IllegalStateException("bad");
            });
            assertThatThrownBy(() -> Future.all(List.of(never, bad)).await()).hasMessage("bad");
            assertThat(Future.all(List.of()).await()).isEmpty();
            return null;
        });
    }

    @Test
    void anyGivesTheFirstSuccessAndFailsOnlyIfAllFail() {
        Loop.run(() -> {
            Loop loop = Loop.current();
            Promise<String> never = new Promise<>();
            Task<String> bad = loop.spawn(() -> {
                throw new IllegalStateException("bad");
            });
            Task<String> good = loop.spawn(() -> {
                Loop.yieldNow();
                return "good";
            });
            assertThat(Future.any(List.of(never, bad, good)).await()).isEqualTo("good");
            Task<String> bad2 = loop.spawn(() -> {
                throw new IllegalStateException("bad2");
            });
            bad.exception();
            assertThatThrownBy(() -> Future.any(List.of(bad, bad2)).await()).isInstanceOf(IllegalStateException.class);
            return null;
        });
    }

    @Test
    void allSettledWaitsForEveryOutcomeAndNeverFails() {
        Loop.run(() -> {
            Loop loop = Loop.current();
            Promise<String> later = new Promise<>();
            Task<String> bad = loop.spawn(() -> {
                throw new IllegalStateException("bad");
            });
            Task<String> cancelled = loop.spawn(() -> new Promise<String>().await());
            cancelled.cancel();
            Future<Void> settled = Future.allSettled(List.of(later, bad, cancelled));
            Loop.runUntilIdle();
            assertThat(settled.isDone()).isFalse(); // 'later' is still pending
            later.complete("done");
            assertThat(settled.await()).isNull();
            assertThat(Future.allSettled(List.of()).isDone()).isTrue();
            return null;
        });
    }

    @Test
    void loopCurrentOutsideATaskNamesTheRemedy() {
        assertThatThrownBy(Loop::current)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not called from a task");
    }

    @Test
    void runFromInsideATaskIsRejected() {
        Loop.run(() -> {
            assertThatThrownBy(() -> Loop.run(() -> 1))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("spawn a task and await it instead");
            return null;
        });
    }

    @Test
    void manyTasksSwitchQuickly() {
        // 200k switches; a handoff through a scheduler thread (~100 us) would take far too long.
        int switches = Loop.run(() -> {
            Loop loop = Loop.current();
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                tasks.add(loop.spawn(() -> {
                    for (int j = 0; j < 2000; j++) {
                        Loop.yieldNow();
                    }
                    return 2000;
                }));
            }
            return Future.all(tasks).await().stream().mapToInt(Integer::intValue).sum();
        });
        assertThat(switches).isEqualTo(200_000);
    }
}
