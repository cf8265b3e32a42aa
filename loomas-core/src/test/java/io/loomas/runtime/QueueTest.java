package io.loomas.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueueTest {
    private static final Duration LONG = Duration.ofSeconds(10);

    @Test
    void elementsComeOutInTheOrderTheyWentIn() {
        Queue<Integer> q = new Queue<>();
        for (int i = 1; i <= 5; i++) {
            q.put(i);
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            out.add(q.take());
        }
        assertThat(out).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void offerPollSizeAndCapacityDescribeTheQueue() {
        Queue<String> q = new Queue<>(2);
        assertThat(q.capacity()).isEqualTo(2);
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.poll()).isNull();
        assertThat(q.offer("a")).isTrue();
        assertThat(q.offer("b")).isTrue();
        assertThat(q.offer("c")).isFalse();
        assertThat(q.size()).isEqualTo(2);
        assertThat(q.isEmpty()).isFalse();
        assertThat(q).hasToString("Queue[size=2, capacity=2]");
        assertThat(q.poll()).isEqualTo("a");
        assertThat(q.poll()).isEqualTo("b");
        assertThat(q.poll()).isNull();
    }

    @Test
    void anUnboundedQueueHasNoCapacityLimitInItsName() {
        Queue<String> q = new Queue<>();
        assertThat(q.capacity()).isEqualTo(Integer.MAX_VALUE);
        assertThat(q).hasToString("Queue[size=0]");
    }

    @Test
    void aCapacityBelowOneIsRejected() {
        assertThatThrownBy(() -> new Queue<String>(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity must be positive: 0");
    }

    @Test
    void nullElementsAreRejected() {
        Queue<String> q = new Queue<>();
        assertThatThrownBy(() -> q.put(null)).isInstanceOf(NullPointerException.class).hasMessage("item");
        assertThatThrownBy(() -> q.offer(null)).isInstanceOf(NullPointerException.class).hasMessage("item");
        assertThatThrownBy(() -> q.take(null)).isInstanceOf(NullPointerException.class).hasMessage("timeout");
    }

    @Test
    void takeOnAnEmptyQueueLetsOtherTasksRun() {
        List<String> events = new ArrayList<>();
        Loop.run(() -> {
            Loop loop = Loop.current();
            Queue<String> q = new Queue<>();
            Task<String> taker = loop.spawn(() -> {
                events.add("taker waits");
                String item = q.take();
                events.add("taker got " + item);
                return item;
            });
            loop.spawn(() -> {
                events.add("producer puts");
                q.put("x");
                return null;
            });
            return taker.await();
        });
        assertThat(events).containsExactly("taker waits", "producer puts", "taker got x");
    }

    @Test
    void putOnAFullQueueWaitsUntilATakeMakesRoom() {
        List<String> events = new ArrayList<>();
        Loop.run(() -> {
            Loop loop = Loop.current();
            Queue<String> q = new Queue<>(1);
            q.put("a");
            Task<Void> producer = loop.spawn(() -> {
                events.add("producer puts b");
                q.put("b");
                events.add("producer done");
                return null;
            });
            Loop.yieldNow();
            assertThat(producer.isDone()).isFalse();
            assertThat(q.size()).isEqualTo(1);
            events.add("main takes " + q.take());
            producer.await();
            events.add("main takes " + q.take());
            return null;
        });
        assertThat(events).containsExactly("producer puts b", "main takes a", "producer done", "main takes b");
    }

    @Test
    void waitingTakersAreServedInTheOrderTheyCame() {
        List<String> got = Loop.run(() -> {
            Loop loop = Loop.current();
            Queue<Integer> q = new Queue<>();
            List<String> order = new ArrayList<>();
            List<Task<Void>> takers = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                takers.add(loop.spawn(() -> {
                    order.add(name + q.take());
                    return null;
                }));
            }
            Loop.yieldNow();
            q.put(1);
            q.put(2);
            q.put(3);
            Future.all(takers).await();
            return order;
        });
        assertThat(got).containsExactly("a1", "b2", "c3");
    }

    @Test
    void takeWithTimeoutThrowsNamingTheQueueWhenTheTimeIsUp() {
        ExternalClock clock = new ExternalClock(Instant.EPOCH);
        Loop.run(LoopOptions.DEFAULT.withClock(clock), () -> {
            Queue<String> q = new Queue<>();
            Task<String> taker = Loop.current().spawn(() -> q.take(LONG));
            Loop.yieldNow();
            clock.setTime(Duration.ofSeconds(9));
            Loop.yieldNow();
            assertThat(taker.isDone()).isFalse();
            clock.setTime(LONG);
            assertThatThrownBy(taker::await)
                    .isInstanceOf(TimeoutException.class)
                    .hasMessage("timed out after PT10S waiting for an element of Queue[size=0]");
            return null;
        });
    }

    @Test
    void takeWithTimeoutReturnsAnElementThatArrivesInTime() {
        ExternalClock clock = new ExternalClock(Instant.EPOCH);
        String got = Loop.run(LoopOptions.DEFAULT.withClock(clock), () -> {
            Queue<String> q = new Queue<>();
            Task<String> taker = Loop.current().spawn(() -> q.take(LONG));
            Loop.yieldNow();
            q.put("in time");
            String item = taker.await();
            assertThat(clock.pendingTimers()).as("the timeout's timer is cancelled").isZero();
            return item;
        });
        assertThat(got).isEqualTo("in time");
    }

    @Test
    void aCancelledTakerNeverLosesTheElementItWasWokenFor() {
        Loop.run(() -> {
            Loop loop = Loop.current();
            Queue<String> q = new Queue<>();
            Task<String> first = loop.spawn(q::take);
            Task<String> second = loop.spawn(q::take);
            Loop.yieldNow();
            q.put("x"); // wakes the first taker...
            first.cancel(); // ...which is cancelled before it could run
            assertThatThrownBy(first::await).isInstanceOf(CancelledException.class);
            assertThat(second.await(LONG)).isEqualTo("x");
            assertThat(q.isEmpty()).isTrue();
            return null;
        });
    }

    @Test
    void aTakerCancelledWhileWaitingLeavesLaterElementsToTheOthers() {
        Loop.run(() -> {
            Loop loop = Loop.current();
            Queue<String> q = new Queue<>();
            Task<String> first = loop.spawn(q::take);
            Task<String> second = loop.spawn(q::take);
            Loop.yieldNow();
            first.cancel();
            assertThatThrownBy(first::await).isInstanceOf(CancelledException.class);
            q.put("x");
            assertThat(second.await(LONG)).isEqualTo("x");
            return null;
        });
    }

    @Test
    void aCancelledPutterNeverLosesTheRoomItWasWokenFor() {
        Loop.run(() -> {
            Loop loop = Loop.current();
            Queue<String> q = new Queue<>(1);
            q.put("a");
            Task<Void> first = loop.spawn(() -> {
                q.put("b");
                return null;
            });
            Task<Void> second = loop.spawn(() -> {
                q.put("c");
                return null;
            });
            Loop.yieldNow();
            assertThat(q.take()).isEqualTo("a"); // wakes the first putter...
            first.cancel(); // ...which is cancelled before it could run
            assertThatThrownBy(first::await).isInstanceOf(CancelledException.class);
            second.await(LONG);
            assertThat(q.take()).isEqualTo("c");
            return null;
        });
    }

    @Test
    void aThreadOutsideAnyLoopCanPutIntoAQueueATaskTakesFrom() throws Exception {
        try (Loop loop = Loop.create()) {
            Queue<String> q = new Queue<>();
            Task<List<String>> taker = loop.spawn(() -> List.of(q.take(), q.take(), q.take()));
            Thread producer = Thread.ofVirtual().start(() -> {
                q.put("a");
                q.offer("b");
                q.put("c");
            });
            assertThat(taker.await(LONG)).containsExactly("a", "b", "c");
            producer.join();
        }
    }

    @Test
    void aThreadOutsideAnyLoopCanTakeWhatATaskPuts() {
        try (Loop loop = Loop.create()) {
            Queue<String> q = new Queue<>(1);
            Task<Void> producer = loop.spawn(() -> {
                for (String s : List.of("a", "b", "c")) {
                    q.put(s); // waits for the test thread to make room
                }
                return null;
            });
            List<String> got = List.of(q.take(), q.take(LONG), q.take());
            assertThat(got).containsExactly("a", "b", "c");
            producer.await(LONG);
        }
    }
}
