package io.loomas.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LockTest {
    private static final Duration LONG = Duration.ofSeconds(10);

    @Test
    void lockAndUnlockChangeWhetherItIsLocked() {
        Loop.run(() -> {
            Lock lock = new Lock();
            assertThat(lock.isLocked()).isFalse();
            assertThat(lock).hasToString("Lock[unlocked]");
            lock.lock();
            assertThat(lock.isLocked()).isTrue();
            assertThat(lock).hasToString("Lock[held by task 'main']");
            lock.unlock();
            assertThat(lock.isLocked()).isFalse();
            return null;
        });
    }

    @Test
    void tryLockTakesAFreeLockOnly() {
        Loop.run(() -> {
            Lock lock = new Lock();
            assertThat(lock.tryLock()).isTrue();
            Task<Boolean> other = Loop.current().spawn(lock::tryLock);
            assertThat(other.await()).isFalse();
            lock.unlock();
            return null;
        });
    }

    @Test
    void lockLetsOtherTasksRunWhileItWaits() {
        List<String> events = new ArrayList<>();
        Loop.run(() -> {
            Loop loop = Loop.current();
            Lock lock = new Lock();
            lock.lock();
            Task<Void> waiter = loop.spawn("waiter", () -> {
                events.add("waiter asks");
                lock.lock();
                events.add("waiter holds");
                lock.unlock();
                return null;
            });
            Loop.yieldNow();
            events.add("main unlocks");
            lock.unlock();
            waiter.await();
            return null;
        });
        assertThat(events).containsExactly("waiter asks", "main unlocks", "waiter holds");
    }

    @Test
    void theLockKeepsOutOtherTasksAcrossSchedulingPoints() {
        List<String> events = new ArrayList<>();
        Loop.run(() -> {
            Loop loop = Loop.current();
            Lock lock = new Lock();
            List<Task<Void>> tasks = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                tasks.add(loop.spawn(() -> {
                    lock.lock();
                    try {
                        events.add(name + " in");
                        Loop.yieldNow();
                        Loop.yieldNow();
                        events.add(name + " out");
                    } finally {
                        lock.unlock();
                    }
                    return null;
                }));
            }
            Future.all(tasks).await();
            return null;
        });
        assertThat(events).containsExactly("a in", "a out", "b in", "b out", "c in", "c out");
    }

    @Test
    void lockingTwiceIsAnErrorNotADeadlock() {
        Loop.run(() -> {
            Lock lock = new Lock();
            lock.lock();
            assertThatThrownBy(lock::lock)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("task 'main' already holds this lock (expected: not reentrant)");
            assertThatThrownBy(() -> lock.lock(LONG)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(lock::tryLock).isInstanceOf(IllegalStateException.class);
            assertThat(lock.isLocked()).isTrue();
            lock.unlock();
            return null;
        });
    }

    @Test
    void onlyTheHolderMayUnlock() {
        Loop.run(() -> {
            Lock lock = new Lock();
            lock.lock();
            Task<Void> intruder = Loop.current().spawn("intruder", () -> {
                lock.unlock();
                return null;
            });
            assertThatThrownBy(intruder::await)
                    .isInstanceOf(IllegalMonitorStateException.class)
                    .hasMessage("lock is held by task 'main', not by task 'intruder'");
            assertThat(lock.isLocked()).isTrue();
            lock.unlock();
            return null;
        });
    }

    @Test
    void unlockingAFreeLockIsAnError() {
        Lock lock = new Lock();
        assertThatThrownBy(lock::unlock)
                .isInstanceOf(IllegalMonitorStateException.class)
                .hasMessageStartingWith("lock is held by nobody, not by thread ");
    }

    @Test
    void lockWithTimeoutThrowsNamingTheLockWhenTheTimeIsUp() {
        ExternalClock clock = new ExternalClock(Instant.EPOCH);
        Loop.run(LoopOptions.DEFAULT.withClock(clock), () -> {
            Lock lock = new Lock();
            lock.lock();
            Task<Void> waiter = Loop.current().spawn(() -> {
                lock.lock(LONG);
                return null;
            });
            Loop.yieldNow();
            clock.setTime(Duration.ofSeconds(9));
            Loop.yieldNow();
            assertThat(waiter.isDone()).isFalse();
            clock.setTime(LONG);
            assertThatThrownBy(waiter::await)
                    .isInstanceOf(TimeoutException.class)
                    .hasMessage("timed out after PT10S waiting for lock");
            assertThat(lock).hasToString("Lock[held by task 'main']");
            lock.unlock();
            return null;
        });
    }

    @Test
    void lockWithTimeoutTakesALockFreedInTime() {
        Loop.run(() -> {
            Lock lock = new Lock();
            lock.lock();
            Task<Boolean> waiter = Loop.current().spawn(() -> {
                lock.lock(LONG);
                lock.unlock();
                return true;
            });
            Loop.yieldNow();
            lock.unlock();
            assertThat(waiter.await(LONG)).isTrue();
            return null;
        });
    }

    @Test
    void waitersGetTheLockInTheOrderTheyAsked() {
        List<String> order = new ArrayList<>();
        Loop.run(() -> {
            Loop loop = Loop.current();
            Lock lock = new Lock();
            lock.lock();
            List<Task<Void>> waiters = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                waiters.add(loop.spawn(() -> {
                    lock.lock();
                    order.add(name);
                    lock.unlock();
                    return null;
                }));
            }
            Loop.yieldNow();
            lock.unlock();
            Future.all(waiters).await();
            return null;
        });
        assertThat(order).containsExactly("a", "b", "c");
    }

    @Test
    void aCancelledWaiterNeverLosesTheUnlockItWasWokenFor() {
        Loop.run(() -> {
            Loop loop = Loop.current();
            Lock lock = new Lock();
            lock.lock();
            Task<Void> first = loop.spawn(() -> {
                lock.lock();
                return null;
            });
            Task<String> second = loop.spawn(() -> {
                lock.lock();
                lock.unlock();
                return "second";
            });
            Loop.yieldNow();
            lock.unlock(); // wakes the first waiter...
            first.cancel(); // ...which is cancelled before it could run
            assertThatThrownBy(first::await).isInstanceOf(CancelledException.class);
            assertThat(second.await(LONG)).isEqualTo("second");
            assertThat(lock.isLocked()).isFalse();
            return null;
        });
    }

    @Test
    void aThreadOutsideAnyLoopAndATaskExcludeEachOther() throws Exception {
        try (Loop loop = Loop.create()) {
            Lock lock = new Lock();
            lock.lock(); // the test thread holds it
            assertThat(lock.toString()).startsWith("Lock[held by thread ");
            Task<String> task = loop.spawn("locker", () -> {
                lock.lock();
                lock.unlock();
                return "got it";
            });
            assertThatThrownBy(() -> task.await(Duration.ofMillis(20))).isInstanceOf(TimeoutException.class);
            lock.unlock();
            assertThat(task.await(LONG)).isEqualTo("got it");
        }
    }
}
