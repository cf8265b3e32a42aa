package io.loomas.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.loomas.channel.Channel;
import io.loomas.channel.ChannelOptions;
import io.loomas.channel.Channels;
import io.loomas.channel.Server;
import io.loomas.runtime.Clock;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Promise;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Each check the kit runs after a test, shown firing: a deliberately leaky class (tagged "leaky",
 * which the build's own run excludes) runs under EngineTestKit, and its failure must name the culprit.
 */
class HygieneTest {

    static EngineExecutionResults run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute();
    }

    /** {@return the one failure of running {@code leaky}} */
    static Throwable failureOf(Class<?> leaky) {
        List<Throwable> failures = run(leaky).testEvents().failed().stream()
                .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .toList();
        assertThat(failures).as("failures of %s", leaky.getSimpleName()).hasSize(1);
        return failures.get(0);
    }

    @Tag("leaky")
    @LoomasTest
    static class LeavesATaskRunning {
        @Test
        void test(Loop loop) {
            loop.spawn("forgotten", () -> new Promise<Void>().await());
        }
    }

    @Test
    void aTaskStillRunningFailsTheTestWithItsNameAndCreationSite() {
        assertThat(failureOf(LeavesATaskRunning.class)).hasMessageContaining(
                "task 'forgotten' is still running; created at " + LeavesATaskRunning.class.getName() + ".test(HygieneTest.java:");
    }

    @Tag("leaky")
    @LoomasTest
    static class LeavesAFailureUnretrieved {
        @Test
        void test(Loop loop) {
            loop.spawn("doomed", () -> {
                throw new IllegalStateException("boom");
            });
            Loop.runUntilIdle();
        }
    }

    @Test
    void aFailureNobodyRetrievedFailsTheTestWithTheTaskAndTheError() {
        Throwable failure = failureOf(LeavesAFailureUnretrieved.class);
        assertThat(failure).hasMessageContaining("Task 'doomed' failed and nobody retrieved its failure; task created at "
                        + LeavesAFailureUnretrieved.class.getName() + ".test(HygieneTest.java:")
                .hasMessageContaining("java.lang.IllegalStateException: boom");
        assertThat(failure.getSuppressed()).singleElement().isInstanceOf(IllegalStateException.class);
    }

    @Tag("leaky")
    @LoomasTest
    static class LeavesAServerOpen {
        @Test
        void test(TransportContext ctx) throws Exception {
            Channels.startServer(ctx.bindAddress(), channel -> {}, ChannelOptions.DEFAULT);
        }
    }

    @Test
    void aServerLeftOpenFailsTheTestWithWhereItWasOpened() {
        assertThat(failureOf(LeavesAServerOpen.class))
                .hasMessageMatching("(?s).*Server\\[tcp://127\\.0\\.0\\.1:\\d+\\] was left open; opened by task 'test' at "
                        + "io\\.loomas\\.junit\\.HygieneTest\\$LeavesAServerOpen\\.test\\(HygieneTest\\.java:\\d+\\).*");
    }

    @Tag("leaky")
    @LoomasTest
    static class LeavesAChannelOpen {
        @Test
        void test(TransportContext ctx) throws Exception {
            Server server = Channels.startServer(ctx.bindAddress(), channel -> channel.closed().await(), ChannelOptions.DEFAULT);
            Channels.connect(server.address(), ChannelOptions.DEFAULT);
        }
    }

    @Tag("leaky") // run only through EngineTestKit, for its outcome on every transport
    static class ConnectsToTheContextsServerAndForgetsTheChannel {
        @TransportTest
        void test(TransportContext ctx) throws Exception {
            ctx.startServer(channel -> channel.closed().await());
            Channels.connect(ctx.address(), ctx.channelOptions());
        }
    }

    @Test
    void aChannelToAServerTheKitClosesIsClosedByThatOnEveryTransport() {
        run(ConnectsToTheContextsServerAndForgetsTheChannel.class).testEvents()
                .assertStatistics(stats -> stats.succeeded(8).failed(0));
    }

    @Test
    void aChannelLeftOpenFailsTheTestWithWhereItWasOpened() {
        assertThat(failureOf(LeavesAChannelOpen.class)).hasMessageContaining(" was left open; opened by task 'test' at "
                + LeavesAChannelOpen.class.getName() + ".test(HygieneTest.java:");
    }

    @Tag("leaky")
    @LoomasTest(clock = ClockKind.VIRTUAL)
    static class LeavesATimerPending {
        @Test
        void test(Clock clock) {
            clock.callLater(Duration.ofHours(1), () -> {});
        }
    }

    @Test
    void aTimerLeftOnTheVirtualClockFailsTheTestWithItsDeadline() {
        assertThat(failureOf(LeavesATimerPending.class))
                .hasMessageContaining("1 timer(s) still pending on the virtual clock at PT0S, the next due at PT1H");
    }

    @Tag("leaky")
    @LoomasTest(timeout = 200, timeoutUnit = TimeUnit.MILLISECONDS)
    static class HangsPastItsTimeout {
        @Test
        void test(Loop loop) {
            loop.spawn("stuck", () -> new Promise<Void>().await()).await();
        }
    }

    @Test
    void aTestThatHangsFailsAtItsTimeoutWithEveryTasksStack() {
        assertThat(failureOf(HangsPastItsTimeout.class))
                .hasMessageContaining("'test' did not finish within 200 ms")
                .hasMessageContaining("task 'test' [PENDING], created at ")
                .hasMessageContaining("task 'stuck' [PENDING], created at " + HangsPastItsTimeout.class.getName())
                .hasMessageContaining("at io.loomas.runtime.Future.await");
    }

    @Tag("leaky")
    @LoomasTest
    @AllowLeaks(Leak.RUNNING_TASKS)
    static class LeavesATaskRunningOnPurpose {
        @Test
        void test(Loop loop) {
            loop.spawn("watchdog", () -> new Promise<Void>().await());
        }
    }

    @Test
    void allowLeaksTurnsTheCheckOff() {
        run(LeavesATaskRunningOnPurpose.class).testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
    }

    @Tag("leaky")
    static class FailingTransportTest {
        static Server server;
        static Channel channel;

        @TransportTest(transports = TransportKind.UNIX, codecs = CodecKind.JSON)
        void test(TransportContext ctx) throws Exception {
            server = ctx.startServer(c -> c.closed().await());
            channel = ctx.connect();
            throw new AssertionError("the test fails with its server and channel open");
        }
    }

    @Test
    void whatTheContextOpenedIsClosedEvenWhenTheTestFailsAndTheSocketDirectoryIsRemoved() {
        assertThat(failureOf(FailingTransportTest.class)).hasMessage("the test fails with its server and channel open");
        assertThat(FailingTransportTest.server.isClosed()).isTrue();
        assertThat(FailingTransportTest.channel.isOpen()).isFalse();
        Path socket = Path.of(FailingTransportTest.server.address().toString().substring("ipc://".length()));
        assertThat(Files.exists(socket.getParent())).isFalse();
    }

    @Tag("leaky")
    @LoomasTest
    static class BlocksTheLoop {
        @Test
        void test() throws InterruptedException {
            Thread.sleep(300); // every other task of the test waits meanwhile
        }
    }

    @Test
    void aTaskThatBlocksItsThreadWhileItHoldsTheLoopFailsTheTestWithWhere() {
        Throwable failure = failureOf(BlocksTheLoop.class);
        assertThat(failure).hasMessageContaining("blocked its thread for")
                .hasMessageContaining("while it held the loop, at " + BlocksTheLoop.class.getName() + ".test(HygieneTest.java:")
                .hasMessageContaining("belongs in loop.offload(...)");
        assertThat(failure.getSuppressed()).singleElement().satisfies(where ->
                assertThat(where.getStackTrace()).anyMatch(e -> e.getMethodName().equals("sleep")));
    }

    @Tag("leaky")
    @LoomasTest
    @AllowLeaks(Leak.BLOCKING)
    static class BlocksTheLoopOnPurpose {
        @Test
        void test() throws InterruptedException {
            Thread.sleep(300);
        }
    }

    @Tag("leaky")
    @LoomasTest
    static class ComputesWithoutBlocking {
        @Test
        void test() {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            long spins = 0;
            while (System.nanoTime() < until) {
                spins++; // holds the loop, but its thread is not blocked: a warning only
            }
            assertThat(spins).isPositive();
        }
    }

    @Test
    void blockingCanBeAllowedAndComputingOnlyWarns() {
        run(BlocksTheLoopOnPurpose.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        run(ComputesWithoutBlocking.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    }
}
