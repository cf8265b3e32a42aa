package io.loomas.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DebugModeTest {
    private static final LoopOptions DEBUG =
            LoopOptions.DEFAULT.withDebug(true).withSlowTaskThreshold(Duration.ofMillis(20));

    private static Optional<Thread> threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst();
    }

    @Test
    void tasksOfADebugLoopRecordWhereTheyWereCreated() {
        Throwable site = Loop.run(DEBUG, () -> Loop.current().spawn("child", Task::current).await().creationSite());
        assertThat(site).isNotNull().hasMessage("task 'child' created here");
        assertThat(site.getStackTrace()).anyMatch(e -> e.getClassName().startsWith(DebugModeTest.class.getName()));
    }

    @Test
    void tasksOfAnOrdinaryLoopRecordNoCreationSite() {
        Throwable site = Loop.run(LoopOptions.DEFAULT.withDebug(false),
                () -> Loop.current().spawn(Task::current).await().creationSite());
        assertThat(site).isNull();
    }

    @Test
    void isDebugTellsTheMode() {
        try (Loop debug = Loop.create(DEBUG); Loop plain = Loop.create(LoopOptions.DEFAULT.withDebug(false))) {
            assertThat(debug.isDebug()).isTrue();
            assertThat(plain.isDebug()).isFalse();
        }
    }

    @Test
    void aTaskHoldingTheLoopTooLongIsReported() {
        // The warning goes through SLF4J to slf4j-simple, which writes to whatever System.err is.
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        String log;
        try {
            Loop.run(DEBUG.withName("hogged"), () -> Loop.current().spawn("hog", () -> {
                // Holds the loop on purpose (that is what is under test), until the watchdog
                // has spoken or far longer than the threshold.
                long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!captured.toString(StandardCharsets.UTF_8).contains("task 'hog' has held the loop")
                        && System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
                return null;
            }).await());
        } finally {
            System.setErr(original);
            log = captured.toString(StandardCharsets.UTF_8);
        }
        // The creation site names the first frame outside io.loomas.runtime; this test lives in
        // that package, so the frame named is not this class: only check that a site is given.
        assertThat(log)
                .contains("[hogged] task 'hog' has held the loop for")
                .contains("(threshold 20 ms)")
                .contains("task created at ");
    }

    @Test
    void theWatchdogStopsWhenTheLoopShutsDown() throws Exception {
        Loop loop = Loop.create(DEBUG.withName("watched"));
        Thread watchdog = threadNamed("watched-watchdog").orElseThrow();
        assertThat(watchdog.isDaemon()).isTrue();
        loop.close();
        watchdog.join(Duration.ofSeconds(10));
        assertThat(watchdog.isAlive()).isFalse();
    }

    @Test
    void anOrdinaryLoopHasNoWatchdog() {
        try (Loop loop = Loop.create(LoopOptions.DEFAULT.withDebug(false).withName("unwatched"))) {
            assertThat(threadNamed("unwatched-watchdog")).isEmpty();
        }
    }
}
