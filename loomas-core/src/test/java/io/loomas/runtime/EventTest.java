package io.loomas.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventTest {
    private static final Duration LONG = Duration.ofSeconds(10);

    @Test
    void aNewEventIsNotSet() {
        Event e = new Event();
        assertThat(e.isSet()).isFalse();
        assertThat(e).hasToString("Event[not set]");
    }

    @Test
    void setAndClearChangeTheFlag() {
        Event e = new Event();
        e.set();
        assertThat(e.isSet()).isTrue();
        assertThat(e).hasToString("Event[set]");
        e.clear();
        assertThat(e.isSet()).isFalse();
    }

    @Test
    void awaitOnASetEventReturnsAtOnce() {
        Event e = new Event();
        e.set();
        e.await();
        e.await(Duration.ZERO);
        assertThat(e.isSet()).isTrue();
    }

    @Test
    void awaitLetsOtherTasksRunUntilTheEventIsSet() {
        List<String> events = new ArrayList<>();
        Loop.run(() -> {
            Loop loop = Loop.current();
            Event e = new Event();
            Task<Void> waiter = loop.spawn(() -> {
                events.add("waiting");
                e.await();
                events.add("woken");
                return null;
            });
            loop.spawn(() -> {
                events.add("setting");
                e.set();
                return null;
            });
            waiter.await();
            return null;
        });
        assertThat(events).containsExactly("waiting", "setting", "woken");
    }

    @Test
    void setWakesEveryWaiter() {
        List<String> woken = Loop.run(() -> {
            Loop loop = Loop.current();
            Event e = new Event();
            List<String> order = new ArrayList<>();
            List<Task<Void>> waiters = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                waiters.add(loop.spawn(() -> {
                    e.await();
                    order.add(name);
                    return null;
                }));
            }
            Loop.yieldNow();
            e.set();
            Future.all(waiters).await(LONG);
            return order;
        });
        assertThat(woken).containsExactly("a", "b", "c");
    }

    @Test
    void setThenClearAtOnceStillWakesEveryWaiter() {
        // As in asyncio: set() releases the tasks waiting at that moment, even if the event is
        // cleared again before they get to run.
        Loop.run(() -> {
            Loop loop = Loop.current();
            Event e = new Event();
            Task<Void> a = loop.spawn(() -> {
                e.await();
                return null;
            });
            Task<Void> b = loop.spawn(() -> {
                e.await(LONG);
                return null;
            });
            Loop.yieldNow();
            e.set();
            e.clear();
            Future.all(List.of(a, b)).await(LONG);
            assertThat(e.isSet()).isFalse();
            return null;
        });
    }

    @Test
    void awaitAfterClearBlocksAgain() {
        ExternalClock clock = new ExternalClock(Instant.EPOCH);
        Loop.run(LoopOptions.DEFAULT.withClock(clock), () -> {
            Event e = new Event();
            e.set();
            e.clear();
            Task<Void> waiter = Loop.current().spawn(() -> {
                e.await(LONG);
                return null;
            });
            Loop.yieldNow();
            assertThat(waiter.isDone()).isFalse();
            clock.setTime(LONG);
            assertThatThrownBy(waiter::await).isInstanceOf(TimeoutException.class);
            return null;
        });
    }

    @Test
    void awaitWithTimeoutThrowsNamingTheEventWhenTheTimeIsUp() {
        ExternalClock clock = new ExternalClock(Instant.EPOCH);
        Loop.run(LoopOptions.DEFAULT.withClock(clock), () -> {
            Event e = new Event();
            Task<Void> waiter = Loop.current().spawn(() -> {
                e.await(LONG);
                return null;
            });
            Loop.yieldNow();
            clock.setTime(Duration.ofSeconds(9));
            Loop.yieldNow();
            assertThat(waiter.isDone()).isFalse();
            clock.setTime(LONG);
            assertThatThrownBy(waiter::await)
                    .isInstanceOf(TimeoutException.class)
                    .hasMessage("timed out after PT10S waiting for event");
            return null;
        });
    }

    @Test
    void aCancelledWaiterDoesNotKeepTheOthersFromWaking() {
        Loop.run(() -> {
            Loop loop = Loop.current();
            Event e = new Event();
            Task<Void> first = loop.spawn(() -> {
                e.await();
                return null;
            });
            Task<String> second = loop.spawn(() -> {
                e.await();
                return "second";
            });
            Loop.yieldNow();
            e.set();
            first.cancel();
            assertThatThrownBy(first::await).isInstanceOf(CancelledException.class);
            assertThat(second.await(LONG)).isEqualTo("second");
            return null;
        });
    }

    @Test
    void aThreadOutsideAnyLoopCanSetAndAwaitTheEvent() throws Exception {
        try (Loop loop = Loop.create()) {
            Event fromThread = new Event();
            Event fromTask = new Event();
            Task<String> task = loop.spawn(() -> {
                fromThread.await();
                fromTask.set();
                return "done";
            });
            Thread.ofVirtual().start(fromThread::set).join();
            fromTask.await(LONG);
            assertThat(task.await(LONG)).isEqualTo("done");
        }
    }
}
