package io.loomas.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.runtime.Clock;
import io.loomas.runtime.Lock;
import io.loomas.runtime.Loop;
import io.loomas.runtime.LoopOptions;
import io.loomas.runtime.MdcKeys;
import io.loomas.runtime.Signals;
import io.loomas.runtime.Task;
import io.loomas.runtime.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The examples of the runtime's Javadoc, compiled and run: the Javadoc shows the marked regions. */
class RuntimeSnippets {

    @Test
    void loop() {
        // @start region="loop"
        int sum = Loop.run(() -> {
            Loop loop = Loop.current();
            Task<Integer> a = loop.spawn(() -> 1);
            Task<Integer> b = loop.spawn(() -> 2);
            return a.await() + b.await();
        });
        // @end
        assertThat(sum).isEqualTo(3);
    }

    @Test
    void mdc() {
        String seen =
        // @start region="mdc"
        Loop.run(LoopOptions.DEFAULT.withName("orders"), () -> {
            MDC.put("request", "r-42");                    // yours: the tasks you spawn start with it
            return Loop.current().spawn("worker", () ->
                    MDC.get(MdcKeys.LOOP) + "/" + MDC.get(MdcKeys.TASK) + " " + MDC.get("request")).await();
        });                                                 // "orders/worker r-42"
        // @end
        assertThat(seen).isEqualTo("orders/worker r-42");
    }

    @Test
    void virtualClock() {
        Duration now =
        // @start region="virtual-clock"
        Loop.run(LoopOptions.DEFAULT.withClock(new VirtualClock()), () -> {
            Clock clock = Loop.current().clock();
            clock.sleep(Duration.ofHours(1));     // returns at once: no other task can run meanwhile
            return clock.now();                   // PT1H
        });
        // @end
        assertThat(now).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void slowTaskHandler() {
        List<String> reports = new CopyOnWriteArrayList<>();
        // @start region="slow-task-handler"
        LoopOptions options = LoopOptions.DEFAULT.withDebug(true)
                .withSlowTaskHandler((loop, slow) -> reports.add(slow.taskName() + " held the loop " + slow.held()));
        // @end
        assertThat(options.slowTaskHandler()).isNotNull();
    }

    @Test
    void shutdownOnSignals() {
        Runnable service = () -> {};
        // @start region="shutdown-on"
        Loop.run(() -> {
            Loop loop = Loop.current();
            try (var handlers = Signals.shutdownOn(loop, Duration.ofSeconds(10))) {
                service.run();            // cancelled by SIGINT, SIGTERM or SIGHUP
            }
            return null;
        });
        // @end
    }

    /** An account whose reads and writes give the loop up, as remote calls do. */
    static final class Account {
        private int balance;

        int read() {
            Loop.yieldNow();
            return balance;
        }

        void write(int value) {
            Loop.yieldNow();
            balance = value;
        }
    }

    @Test
    void lock() {
        Account account = new Account();
        int total = Loop.run(() -> {
            Lock lock = new Lock();
            List<Task<Object>> deposits = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int amount = 5;
                deposits.add(Loop.current().spawn(() -> {
                    // @start region="lock"
                    lock.lock();
                    try {
                        int balance = account.read();        // awaits a remote call
                        account.write(balance + amount);
                    } finally {
                        lock.unlock();
                    }
                    // @end
                    return null;
                }));
            }
            for (Task<Object> d : deposits) {
                d.await();
            }
            return account.read();
        });
        assertThat(total).isEqualTo(50);
    }
}
